namespace Orlog.Grains.Cluster;

/// <summary>
/// This silo's one copy of the controller's metadata: topics, partitions (replicas, leader, epochs, ISR) and
/// brokers, at a version. The controller pushes every change (through the broker grain of this silo); the
/// broker grain, the replicas, the topic grains and the group coordinators read it here and keep no copy
/// of their own. A reader that finds a topic or partition it does not know asks <see cref="CatchUpAsync"/>,
/// which fetches from the controller only what is newer than the version held, at most once per
/// <see cref="CatchUpInterval"/>, one fetch at a time.
/// </summary>
public sealed class MetadataCache
{
    /// <summary>The shortest time between two catch-ups: a client asking again and again for a topic that does not exist costs the controller one call per interval.</summary>
    public static readonly TimeSpan CatchUpInterval = TimeSpan.FromMilliseconds(200);

    // How long one catch-up waits for the controller. A call that reached the controller's activation as its silo
    // stopped may never be answered (Orleans gives up after its 30 s response timeout); every reader waits on the
    // one catch-up in flight, so it must end sooner, and the next one finds the controller where it moved.
    private static readonly TimeSpan _catchUpTimeout = TimeSpan.FromSeconds(5);

    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly IMetadataFollower[] _followers;
    private readonly Lock _lock = new();
    private ClusterMetadata _current = ClusterMetadata.Empty;
    private Task<ClusterMetadata>? _catchUp;
    private long _lastCatchUp = long.MinValue;

    public MetadataCache(IGrainFactory grains, TimeProvider time, IEnumerable<IMetadataFollower> followers)
    {
        _grains = grains;
        _time = time;
        _followers = [.. followers];
    }

    /// <summary>The metadata held now.</summary>
    public ClusterMetadata Current => Volatile.Read(ref _current);

    /// <summary>The version held now (0 before the first push).</summary>
    public long Version => Current.Version;

    /// <summary>A topic, or null when this silo does not know it.</summary>
    public TopicMetadata? Topic(string name) => Current.Topics.GetValueOrDefault(name);

    /// <summary>
    /// Applies <paramref name="metadata"/> when it is newer than what is held, then waits for every
    /// <see cref="IMetadataFollower"/> to act on it; true when it was newer.
    /// </summary>
    public async Task<bool> ApplyAsync(ClusterMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        lock (_lock)
        {
            if (metadata.Version <= _current.Version)
            {
                return false;
            }
            Volatile.Write(ref _current, metadata);
        }
        foreach (var follower in _followers)
        {
            await follower.FollowAsync(metadata);
        }
        return true;
    }

    /// <summary>
    /// Asks the controller for anything newer than the version held and applies it; returns what is held
    /// after. Within <see cref="CatchUpInterval"/> of the last catch-up it returns what is held without asking.
    /// </summary>
    public Task<ClusterMetadata> CatchUpAsync()
    {
        lock (_lock)
        {
            if (_catchUp is { IsCompleted: false } running)
            {
                return running;
            }
            var now = _time.GetTimestamp();
            if (_lastCatchUp != long.MinValue && _time.GetElapsedTime(_lastCatchUp, now) < CatchUpInterval)
            {
                return Task.FromResult(_current);
            }
            _lastCatchUp = now;
            _catchUp = FetchAsync(_current.Version);
            return _catchUp;
        }
    }

    private async Task<ClusterMetadata> FetchAsync(long knownVersion)
    {
        try
        {
            var newer = await _grains.GetGrain<IControllerGrain>(0).GetMetadata(knownVersion).WaitAsync(_catchUpTimeout, _time).ConfigureAwait(false);
            if (newer is not null)
            {
                await ApplyAsync(newer).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // The controller unreachable: nothing newer is known; the caller answers from what is held.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        return Current;
    }
}
