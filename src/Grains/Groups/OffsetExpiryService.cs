using Microsoft.Extensions.Logging;
using Orlog.Grains.Logs;

namespace Orlog.Grains.Groups;

/// <summary>
/// Every offsets.retention.check.interval.ms, asks each group to drop the offsets it has kept longer than
/// offsets.retention.minutes while empty (Kafka's offset expiry). Runs on every silo; the groups do the work.
/// </summary>
internal sealed partial class OffsetExpiryService : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly IGrainFactory _grains;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public OffsetExpiryService(IGrainFactory grains, LogManager logs, GroupClock clock, ILogger<OffsetExpiryService> logger)
    {
        _grains = grains;
        _interval = TimeSpan.FromMilliseconds(logs.Defaults.Groups.OffsetsRetentionCheckIntervalMs);
        _time = clock.Time;
        _logger = logger;
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(OffsetExpiryService), ServiceLifecycleStage.Active, OnStartAsync, OnStopAsync);

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    var groups = await _grains.GetGrain<IGroupDirectoryGrain>(0).List();
                    foreach (var group in groups)
                    {
                        await _grains.GetGrain<IConsumerGroupGrain>(group.GroupId).ExpireOffsets();
                    }
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    LogFailed(_logger, error);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "Expiring consumer group offsets failed; trying again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception error);
}
