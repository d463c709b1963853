namespace Orlog.EndToEnd.Tests.Faults;

/// <summary>What the nemesis does to the cluster; each kind picks its victim from the metadata at the time.</summary>
public enum FaultKind
{
    /// <summary>SIGKILL of the broker leading the most partitions, then a restart.</summary>
    KillLeader,

    /// <summary>
    /// SIGSTOP of the broker leading the most partitions until the membership declares it dead, then SIGCONT (a long
    /// GC pause): the silo finds itself dead and stops, and is started again as a supervisor would.
    /// </summary>
    PauseLeader,

    /// <summary>SIGTERM (a controlled shutdown that moves its leaders first) of the broker leading the most partitions, then a restart.</summary>
    GracefulRestart,

    /// <summary>A restart of PostgreSQL (membership and the controller's state).</summary>
    DatabaseRestart,

    /// <summary>
    /// The broker leading the most partitions cut from the other brokers and from PostgreSQL (clients still reach it)
    /// until it is declared dead, then healed; it finds itself dead and stops, and is started again.
    /// </summary>
    PartitionLeader,

    /// <summary>SIGKILL of the broker whose silo hosts the controller, then a restart.</summary>
    KillController,

    /// <summary>SIGKILL of the broker whose silo hosts the consumer group's coordinator, then a restart.</summary>
    KillCoordinator,
}
