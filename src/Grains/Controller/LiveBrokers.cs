namespace Orlog.Grains.Controller;

/// <summary>
/// The brokers as the controller sees them when it decides: those alive (their silo is Active in Orleans'
/// membership) and those shutting down (they asked for a controlled shutdown and have not registered since).
/// A broker may become leader, join an ISR or get new replicas only when it is alive and not shutting down;
/// a shutting-down broker that still leads keeps leading while it is alive. With the registered broker
/// epochs, it also tells a broker's current run from an earlier one.
/// </summary>
public sealed class LiveBrokers(IReadOnlySet<int> alive, IReadOnlySet<int> shuttingDown, IReadOnlyDictionary<int, long>? epochs = null)
{
    private static readonly HashSet<int> _none = [];

    /// <summary>Brokers alive, none shutting down.</summary>
    public LiveBrokers(IReadOnlySet<int> alive)
        : this(alive, _none)
    {
    }

    public IReadOnlySet<int> Alive => alive;

    public IReadOnlySet<int> ShuttingDown => shuttingDown;

    public bool IsAlive(int brokerId) => alive.Contains(brokerId);

    /// <summary>Alive and not shutting down: may lead, join an ISR, take new replicas.</summary>
    public bool IsEligible(int brokerId) => alive.Contains(brokerId) && !shuttingDown.Contains(brokerId);

    /// <summary>
    /// Whether <paramref name="epoch"/> is the broker epoch of the broker's current registration (always true
    /// when this view was made without epochs).
    /// </summary>
    public bool IsCurrentEpoch(int brokerId, long epoch) =>
        epochs is null || epoch >= 0 && epochs.TryGetValue(brokerId, out var registered) && registered == epoch;

    /// <summary>The broker epoch of the broker's current registration, or -1.</summary>
    public long EpochOf(int brokerId) => epochs is not null && epochs.TryGetValue(brokerId, out var epoch) ? epoch : -1;

    /// <summary>Every eligible broker.</summary>
    public IReadOnlySet<int> Eligible() => alive.Where(IsEligible).ToHashSet();
}
