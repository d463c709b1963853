using Microsoft.Extensions.Logging;
using Orlog.Grains;

namespace Orlog.Client;

/// <summary>
/// The consumer's background fetch loop for one broker: one fetch request for every fetchable assigned partition
/// the broker leads (fetch.min.bytes, fetch.max.wait.ms, max.partition.fetch.bytes, fetch.max.bytes), sent again
/// as soon as it answers while the queue has room. A partition assigned or sought while a long poll is out is
/// fetched at once in a request of its own, not after the poll.
/// </summary>
internal sealed partial class BrokerFetcher<TKey, TValue>
{
    private readonly Consumer<TKey, TValue> _consumer;
    private readonly OrlogClient _client;
    private readonly ConsumerSettings _settings;
    private readonly AsyncSignal _wake;
    private readonly ILogger _logger;
    private readonly CancellationToken _stop;

    public BrokerFetcher(Consumer<TKey, TValue> consumer, OrlogClient client, ConsumerSettings settings, AsyncSignal wake, ILogger logger, int broker,
        CancellationToken stop)
    {
        _consumer = consumer;
        _client = client;
        _settings = settings;
        _wake = wake;
        _logger = logger;
        Broker = broker;
        _stop = stop;
    }

    public int Broker { get; }

    public Task Loop { get; private set; } = Task.CompletedTask;

    public void Start() => Loop = Task.Run(RunAsync);

    private async Task RunAsync()
    {
        var pending = new List<Task>();
        while (!_stop.IsCancellationRequested)
        {
            var signal = _wake.Reset();
            var wait = -1L;
            try
            {
                var plan = _consumer.PlanFetch(Broker);
                wait = plan.WaitMs;
                if (plan.Resets.Count > 0)
                {
                    pending.Add(ResetAsync(plan));
                }
                if (plan.Requests.Count > 0)
                {
                    pending.Add(FetchAsync(plan));
                }
            }
            catch (Exception error) when (!_stop.IsCancellationRequested)
            {
                LogFetchError(_logger, Broker, error);
                wait = _settings.RetryBackoffMs;
            }
            pending.RemoveAll(task => task.IsCompleted);
            var timeout = wait < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(wait);
            var wakeUp = pending.Count == 0 ? signal : Task.WhenAny([signal, .. pending]);
            try
            {
                await AsyncSignal.WaitAsync(wakeUp, timeout, _client.Clock.Provider, _stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task FetchAsync(FetchPlan plan)
    {
        try
        {
            var request = new FetchRequest(_settings.FetchMaxWaitMs, _settings.FetchMinBytes, _settings.FetchMaxBytes, plan.Requests);
            var timeout = TimeSpan.FromMilliseconds((long)_settings.FetchMaxWaitMs + _settings.RequestTimeoutMs);
            var response = await _client.Liveness.ReplyAsync(_client.Gateway.Broker(Broker).Fetch(request), Broker, timeout,
                TimeSpan.FromMilliseconds(_settings.FetchMaxWaitMs), _stop).ConfigureAwait(false);
            await _consumer.CompleteFetchAsync(plan, response).ConfigureAwait(false);
        }
        catch (Exception error) when (!_stop.IsCancellationRequested)
        {
            LogFetchError(_logger, Broker, error);
            await _consumer.FailFetchAsync(plan, error).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _wake.Set();
        }
    }

    private async Task ResetAsync(FetchPlan plan)
    {
        try
        {
            await _consumer.ResolveResetsAsync(plan).ConfigureAwait(false);
        }
        catch (Exception error) when (!_stop.IsCancellationRequested)
        {
            LogFetchError(_logger, Broker, error);
            await _consumer.FailFetchAsync(plan, error).ConfigureAwait(false);
        }
        finally
        {
            _wake.Set();
        }
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Fetching from broker {Broker} failed; retrying")]
    private static partial void LogFetchError(ILogger logger, int broker, Exception error);
}
