using Orlog.Grains;

namespace Orlog.Client;

/// <summary>
/// Tells a request in flight that its broker died. A Kafka client sees the TCP connection to a dead broker
/// close and fails its requests at once; an Orleans client talks to gateways, which forward to the broker's
/// silo, and a forwarded call to a silo that died is only answered by the response timeout. So a request that
/// has not been answered after a quiet while watches the broker: while any request does, the controller's
/// broker list is read every <see cref="PollInterval"/>, and a broker it shows dead fails the requests waiting
/// on it with NETWORK_EXCEPTION (retriable; their outcome is unknown), which makes the client refresh its
/// metadata and retry at the new leader. A broker dying also fails the requests waiting on the other brokers:
/// its silo may have been the gateway they went through, whose forwarded calls are lost with it.
/// </summary>
internal sealed class BrokerLiveness
{
    /// <summary>How long a request waits before it starts watching its broker.</summary>
    public static readonly TimeSpan QuietWait = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly IClusterGateway _gateway;
    private readonly Lock _lock = new();
    private readonly Dictionary<int, (TaskCompletionSource Gone, int Watchers)> _watched = [];
    private Task _polling = Task.CompletedTask;
    private HashSet<int>? _dead;

    public BrokerLiveness(IClusterGateway gateway) => _gateway = gateway;

    /// <summary>
    /// The reply of <paramref name="call"/> to <paramref name="broker"/>, within <paramref name="timeout"/>
    /// (TimeoutException after it), or NETWORK_EXCEPTION as soon as the controller shows the broker dead.
    /// </summary>
    /// <param name="call">The request.</param>
    /// <param name="broker">The broker it went to.</param>
    /// <param name="timeout">How long it may take at most.</param>
    /// <param name="expected">How long it may take normally (a fetch's long poll); the watch starts <see cref="QuietWait"/> after it.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public async Task<T> ReplyAsync<T>(Task<T> call, int broker, TimeSpan timeout, TimeSpan expected = default, CancellationToken cancellationToken = default)
    {
        var quiet = expected + QuietWait;
        if (timeout <= quiet)
        {
            return await call.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        try
        {
            return await call.WaitAsync(quiet, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        var gone = Watch(broker);
        try
        {
            var finished = await Task.WhenAny(call, gone).WaitAsync(timeout - quiet, cancellationToken).ConfigureAwait(false);
            if (finished != call)
            {
                throw new Orlog.Client.KafkaException(Orlog.Client.ErrorCode.NetworkException,
                    $"A broker died while a request to broker {broker} was in flight (its leader, or the gateway it went through): its outcome is unknown. Retrying after refreshing the metadata.");
            }
            return await call.ConfigureAwait(false);
        }
        finally
        {
            Unwatch(broker);
        }
    }

    private Task Watch(int broker)
    {
        lock (_lock)
        {
            var (gone, watchers) = _watched.TryGetValue(broker, out var entry)
                ? entry
                : (new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), 0);
            _watched[broker] = (gone, watchers + 1);
            if (_polling.IsCompleted)
            {
                _polling = Task.Run(PollAsync);
            }
            return gone.Task;
        }
    }

    private void Unwatch(int broker)
    {
        lock (_lock)
        {
            if (_watched.TryGetValue(broker, out var entry))
            {
                if (entry.Watchers <= 1)
                {
                    _watched.Remove(broker);
                }
                else
                {
                    _watched[broker] = (entry.Gone, entry.Watchers - 1);
                }
            }
        }
    }

    private async Task PollAsync()
    {
        while (true)
        {
            await Task.Delay(PollInterval).ConfigureAwait(false);
            IReadOnlyList<BrokerInfo> brokers;
            try
            {
                brokers = await _gateway.Controller.ListBrokers().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The controller unreachable: the waiting requests keep their own timeouts.
            catch (Exception)
#pragma warning restore CA1031
            {
                brokers = [];
            }
            lock (_lock)
            {
                var dead = brokers.Where(b => b.Status == BrokerStatus.Dead).Select(b => b.Id).ToHashSet();
                var newlyDead = _dead is not null && brokers.Count > 0 && !dead.IsSubsetOf(_dead);
                if (brokers.Count > 0)
                {
                    _dead = dead;
                }
                foreach (var broker in _watched.Keys.ToList())
                {
                    if (newlyDead || dead.Contains(broker))
                    {
                        _watched.Remove(broker, out var entry);
                        entry.Gone.TrySetResult();
                    }
                }
                if (_watched.Count == 0)
                {
                    // The view of the dead is kept for the next watch: a death since then is news to its requests
                    // (at worst one that is old news makes a request be retried).
                    _polling = Task.CompletedTask;
                    return;
                }
            }
        }
    }
}
