namespace Orlog.Grains.Controller;

/// <summary>What a broker's controlled shutdown did to one partition.</summary>
public enum ShutdownStep
{
    /// <summary>The broker neither leads it nor is in its ISR (or is its last in-sync replica without leading).</summary>
    Unchanged,

    /// <summary>Another in-sync replica leads it now; the broker left the ISR.</summary>
    LeaderMoved,

    /// <summary>The broker followed it and left its ISR.</summary>
    LeftIsr,

    /// <summary>The broker leads it still: no other in-sync replica is alive and not shutting down.</summary>
    StillLeads,
}
