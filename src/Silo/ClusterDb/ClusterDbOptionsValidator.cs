using System.Globalization;
using Microsoft.Extensions.Options;

namespace Orlog.Silo.ClusterDb;

/// <summary>
/// Checks the cluster database setting and the membership timings before the silo starts; every
/// failure names the setting as it is configured and its allowed range.
/// </summary>
public sealed class ClusterDbOptionsValidator : IValidateOptions<ClusterDbOptions>
{
    private const string Prefix = "Orlog:Membership:";

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ClusterDbOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (ClusterDbOptions.IsClusterMode(options) && ClusterDbConnection.Check(options.ClusterDb!) is { } problem)
        {
            failures.Add($"Orlog:{nameof(ClusterDbOptions.ClusterDb)} {problem}");
        }
        var timings = options.Membership;
        Range(failures, nameof(timings.ProbeTimeoutMs), timings.ProbeTimeoutMs, 200, 60_000);
        if (timings.MaxProbeTimeoutMs is { } maxProbeTimeoutMs)
        {
            Range(failures, nameof(timings.MaxProbeTimeoutMs), maxProbeTimeoutMs, 200, 240_000);
        }
        Range(failures, nameof(timings.MissedProbesLimit), timings.MissedProbesLimit, 1, 10);
        Range(failures, nameof(timings.VotesForDeath), timings.VotesForDeath, 1, 10);
        Range(failures, nameof(timings.IAmAlivePeriodMs), timings.IAmAlivePeriodMs, 1_000, 600_000);
        Range(failures, nameof(timings.TableRefreshPeriodMs), timings.TableRefreshPeriodMs, 1_000, 600_000);
        Range(failures, nameof(timings.DeathVoteExpirationMs), timings.DeathVoteExpirationMs, 1_000, 3_600_000);
        if (timings.EffectiveMaxProbeTimeoutMs() < timings.ProbeTimeoutMs && failures.Count == 0)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"{Prefix}{nameof(timings.MaxProbeTimeoutMs)} ({timings.EffectiveMaxProbeTimeoutMs()}) must be at least {Prefix}{nameof(timings.ProbeTimeoutMs)} ({timings.ProbeTimeoutMs})."));
        }
        // Votes must outlive the time it takes to cast them, or a dead silo is never declared dead.
        var suspicionMs = (long)timings.ProbeTimeoutMs * timings.MissedProbesLimit;
        if (timings.DeathVoteExpirationMs < 2 * suspicionMs && failures.Count == 0)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"{Prefix}{nameof(timings.DeathVoteExpirationMs)} ({timings.DeathVoteExpirationMs}) must be at least twice {Prefix}{nameof(timings.ProbeTimeoutMs)} times {Prefix}{nameof(timings.MissedProbesLimit)} ({2 * suspicionMs})."));
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range(List<string> failures, string setting, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Prefix}{setting} must be between {min} and {max}, not {value}."));
        }
    }
}
