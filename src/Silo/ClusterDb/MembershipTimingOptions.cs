using Orleans.Configuration;

namespace Orlog.Silo.ClusterDb;

/// <summary>
/// How quickly a cluster-mode silo declares another one dead (<c>Orlog:Membership:*</c>), applied to
/// Orleans' <see cref="ClusterMembershipOptions"/>. The defaults detect a killed broker within a few
/// seconds without voting a healthy but busy one dead; docs/cluster.md ("Membership timings") has the
/// trade-off and the measurements. The ranges are in <see cref="ClusterDbOptionsValidator"/>.
/// </summary>
public sealed class MembershipTimingOptions
{
    /// <summary>
    /// The initial and shortest timeout of one liveness probe, in milliseconds (Orleans' <c>ProbeTimeout</c> and
    /// <c>MinProbeTimeout</c>). Orleans probes about once per effective timeout and adapts it per monitored silo
    /// from the response times it sees, between this and <see cref="MaxProbeTimeoutMs"/>. Making this the shortest
    /// too means a silo that just joined is probed as often as one watched for hours (Orleans would start at this
    /// value and learn down to half of it, so a broker restarted a few seconds before it died again took twice
    /// as long to be declared dead).
    /// </summary>
    /// <value>1000 (Orleans: 5000, learning down to 2500).</value>
    public int ProbeTimeoutMs { get; set; } = 1000;

    /// <summary>
    /// The longest effective probe timeout, in milliseconds (Orleans' <c>MaxProbeTimeout</c>). It also sets how
    /// long Orleans trusts a connection's traffic over failed probes: a silo that sent any message within this
    /// times <see cref="MissedProbesLimit"/> is not voted dead (Orleans' connection liveness check), so a paused or
    /// cut-off silo is declared dead no sooner than that after its last message. Brokers exchange replica fetches
    /// several times a second, so a live broker is never quiet that long.
    /// </summary>
    /// <value>Four times <see cref="ProbeTimeoutMs"/> when not set, 4000 (as Orleans' rule; with Orleans' 5 s probe
    /// timeout it would be 60 s of quiet).</value>
    public int? MaxProbeTimeoutMs { get; set; }

    /// <summary>The longest effective probe timeout in force: <see cref="MaxProbeTimeoutMs"/>, or four times the probe timeout.</summary>
    public int EffectiveMaxProbeTimeoutMs() => MaxProbeTimeoutMs ?? 4 * ProbeTimeoutMs;

    /// <summary>Missed probes in a row after which a silo suspects the probed one (<c>NumMissedProbesLimit</c>).</summary>
    /// <value>3 (as Orleans).</value>
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>
    /// Suspicions (votes) needed to declare a silo dead (<c>NumVotesForDeathDeclaration</c>). Orleans
    /// requires min(this, (active silos + 1) / 2) votes, so with two silos one vote is enough.
    /// </summary>
    /// <value>2 (as Orleans).</value>
    public int VotesForDeath { get; set; } = 2;

    /// <summary>How long a vote counts, in milliseconds (<c>DeathVoteExpirationTimeout</c>).</summary>
    /// <value>60000 (Orleans: 120000).</value>
    public int DeathVoteExpirationMs { get; set; } = 60_000;

    /// <summary>
    /// The period of a silo's heartbeat in the membership table, in milliseconds
    /// (<c>IAmAliveTablePublishTimeout</c>). A silo that missed three is stale: it no longer counts
    /// among the active silos when votes are tallied.
    /// </summary>
    /// <value>10000 (Orleans: 30000).</value>
    public int IAmAlivePeriodMs { get; set; } = 10_000;

    /// <summary>
    /// How often a silo re-reads the whole membership table, in milliseconds (<c>TableRefreshTimeout</c>);
    /// changes also spread by gossip at once, so this only bounds how late a silo that missed the gossip learns.
    /// </summary>
    /// <value>10000 (Orleans: 60000).</value>
    public int TableRefreshPeriodMs { get; set; } = 10_000;

    /// <summary>Copies these timings onto Orleans' membership options.</summary>
    public void ApplyTo(ClusterMembershipOptions membership)
    {
        ArgumentNullException.ThrowIfNull(membership);
        membership.ProbeTimeout = TimeSpan.FromMilliseconds(ProbeTimeoutMs);
        membership.MinProbeTimeout = TimeSpan.FromMilliseconds(ProbeTimeoutMs);
        membership.MaxProbeTimeout = TimeSpan.FromMilliseconds(EffectiveMaxProbeTimeoutMs());
        membership.NumMissedProbesLimit = MissedProbesLimit;
        membership.NumVotesForDeathDeclaration = VotesForDeath;
        membership.DeathVoteExpirationTimeout = TimeSpan.FromMilliseconds(DeathVoteExpirationMs);
        membership.IAmAliveTablePublishTimeout = TimeSpan.FromMilliseconds(IAmAlivePeriodMs);
        membership.TableRefreshTimeout = TimeSpan.FromMilliseconds(TableRefreshPeriodMs);
    }
}
