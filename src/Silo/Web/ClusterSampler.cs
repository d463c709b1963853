using Microsoft.Extensions.Options;
using Orlog.Client;
using Orlog.Client.Admin;
using Orlog.Grains;

namespace Orlog.Silo.Web;

/// <summary>
/// Samples the cluster every <see cref="WebOptions.WebSampleIntervalMs"/> once the silo is up: every live broker's
/// statistics and every group's description, into the <see cref="ClusterHistory"/> the pages chart; the groups this
/// broker coordinates also feed the group metrics (<see cref="Metrics.SiloMetrics"/>).
/// </summary>
internal sealed partial class ClusterSampler(
    SiloAdmin admin,
    IGrainFactory grains,
    ClusterHistory history,
    IOptions<WebOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ClusterSampler> logger) : BackgroundService
{
    private static readonly TimeSpan _callTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Every group's description at the last sample.</summary>
    public IReadOnlyList<ConsumerGroupDescription> Groups { get; private set; } = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.WebSampleIntervalMs), time);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SampleAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogSampleFailed(logger, error.Message);
            }
            if (!await NextTickAsync(timer, stoppingToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Takes one sample now.</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        var client = await admin.GetAsync().ConfigureAwait(false);
        var brokers = await client.ListBrokersAsync(cancellationToken).ConfigureAwait(false);
        var statistics = await Task.WhenAll(brokers.Where(b => b.Status == "alive").Select(b => StatisticsAsync(b.Id, cancellationToken))).ConfigureAwait(false);
        var listings = await client.ListConsumerGroupsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var groups = await Task.WhenAll(listings.Valid.Select(g => DescribeAsync(client, g.GroupId, cancellationToken))).ConfigureAwait(false);
        Groups = [.. groups.OfType<ConsumerGroupDescription>()];
        history.Add(time.GetUtcNow(), [.. statistics.OfType<BrokerStatistics>()], Groups.ToDictionary(g => g.GroupId, TotalLag, StringComparer.Ordinal));
    }

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>A group's lag summed over its partitions (those with a committed offset).</summary>
    public static long TotalLag(ConsumerGroupDescription group) => group.Partitions.Sum(p => p.Lag ?? 0);

    private async Task<BrokerStatistics?> StatisticsAsync(int brokerId, CancellationToken cancellationToken)
    {
        try
        {
            return await grains.GetGrain<IBrokerGrain>(brokerId).Statistics().WaitAsync(_callTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is TimeoutException or OrleansException)
        {
            return null; // a broker going away: its traffic is missing from this sample
        }
    }

    private static async Task<ConsumerGroupDescription?> DescribeAsync(IAdminClient client, string groupId, CancellationToken cancellationToken)
    {
        try
        {
            return await client.DescribeConsumerGroupAsync(groupId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is Orlog.Client.KafkaException or TimeoutException or OrleansException)
        {
            return null; // deleted or moving meanwhile
        }
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Debug, Message = "The web pages' sample of the cluster failed: {Reason}")]
    private static partial void LogSampleFailed(ILogger logger, string reason);
}
