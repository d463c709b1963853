using System.Globalization;

namespace Orlog.Grains.Cluster;

/// <summary>
/// Which silo is which broker, read from Orleans' membership on this silo: every Orlog silo is named
/// <c>broker-&lt;id&gt;</c>, so the membership table itself maps broker ids to silo addresses and their status,
/// on every silo, at the same moment Orleans learns of a silo. No grain call, no cache of its own.
/// </summary>
public sealed class BrokerSilos(IClusterMembershipService membership)
{
    private const string Prefix = "broker-";

    /// <summary>The Orleans silo name of a broker.</summary>
    public static string SiloName(int brokerId) => Prefix + brokerId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The broker id in a silo name given by <see cref="SiloName"/>; false for any other name.</summary>
    public static bool TryParseBrokerId(string? siloName, out int brokerId)
    {
        brokerId = -1;
        return siloName is not null
            && siloName.StartsWith(Prefix, StringComparison.Ordinal)
            && int.TryParse(siloName.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out brokerId);
    }

    /// <summary>The membership this view reads (for its version and updates).</summary>
    public IClusterMembershipService Membership => membership;

    /// <summary>
    /// The active silo of a broker, or null when it has none. Should two active silos claim one id for a
    /// moment (a duplicate starting, which its registration then refuses), the older one wins.
    /// </summary>
    public SiloAddress? ActiveSiloOf(int brokerId)
    {
        SiloAddress? found = null;
        foreach (var member in membership.CurrentSnapshot.Members.Values)
        {
            if (member.Status == SiloStatus.Active
                && TryParseBrokerId(member.Name, out var id) && id == brokerId
                && (found is null || member.SiloAddress.Generation < found.Generation))
            {
                found = member.SiloAddress;
            }
        }
        return found;
    }

    /// <summary>The broker a silo runs, or -1 when the silo is not an Orlog broker this silo knows of.</summary>
    public int BrokerOf(SiloAddress silo) =>
        membership.CurrentSnapshot.Members.TryGetValue(silo, out var member) && TryParseBrokerId(member.Name, out var id) ? id : -1;

    /// <summary>Every broker in the membership with the status of its newest silo.</summary>
    public IReadOnlyDictionary<int, ClusterMember> Brokers()
    {
        var brokers = new Dictionary<int, ClusterMember>();
        foreach (var member in membership.CurrentSnapshot.Members.Values)
        {
            if (!TryParseBrokerId(member.Name, out var id))
            {
                continue;
            }
            if (!brokers.TryGetValue(id, out var known) || Newer(member, known))
            {
                brokers[id] = member;
            }
        }
        return brokers;
    }

    /// <summary>The ids of the brokers whose silo is active now.</summary>
    public IReadOnlySet<int> AliveBrokers()
    {
        var alive = new HashSet<int>();
        foreach (var member in membership.CurrentSnapshot.Members.Values)
        {
            if (member.Status == SiloStatus.Active && TryParseBrokerId(member.Name, out var id))
            {
                alive.Add(id);
            }
        }
        return alive;
    }

    // An active silo beats a dead one of the same broker; among equals, the later generation is the newer run.
    private static bool Newer(ClusterMember candidate, ClusterMember known)
    {
        if (Running(candidate) != Running(known))
        {
            return Running(candidate);
        }
        return candidate.SiloAddress.Generation > known.SiloAddress.Generation;

        static bool Running(ClusterMember member) => member.Status is SiloStatus.Active or SiloStatus.Joining or SiloStatus.ShuttingDown or SiloStatus.Stopping;
    }
}
