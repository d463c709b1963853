namespace Orlog.Grains.Controller;

/// <summary>The controller's side of replication: leaders' ISR proposals (AlterPartition) and controlled shutdowns.</summary>
public sealed partial class ControllerGrain
{
    // Brokers that asked for a controlled shutdown and have not registered since. Such a broker is neither
    // elected leader, nor added to an ISR, nor given new replicas; if it still leads (no other in-sync replica
    // could take over) it keeps leading while its silo is Active. Once Orleans' membership says its silo is
    // ShuttingDown, Stopping or Dead, it is not alive (BrokerSilos.AliveBrokers counts Active silos only) and
    // FollowBrokers treats it as dead: its leaders move and it leaves every ISR, as for a crash. So this set only
    // covers the window between the broker's request and its silo leaving Active; it is kept in memory, and a
    // new controller activation starts without it (a broker then stopping is seen dying through membership).
    // Registering again (the restarted broker) clears the mark.
    private readonly HashSet<int> _shuttingDown = [];

    private LiveBrokers LiveBrokers() => new(_silos.AliveBrokers(), _shuttingDown);
}
