namespace Orlog.Grains.Controller;

/// <summary>What <see cref="Leadership.FollowBrokers"/> did to a partition.</summary>
public enum FollowResult
{
    Unchanged,

    /// <summary>The leader or the ISR changed, among in-sync replicas.</summary>
    Changed,

    /// <summary>No in-sync replica could lead and an out-of-sync one was elected: records may be lost.</summary>
    UncleanElection,
}
