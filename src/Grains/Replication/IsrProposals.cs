using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orlog.Grains.Partitions;

namespace Orlog.Grains.Replication;

/// <summary>
/// Carries the ISR changes this broker's leaders propose to the controller (Kafka's AlterPartition): every
/// proposal waiting when a call starts goes in that one call, and each answer goes back to its partition. A
/// failed call drops the proposals; the next fetch or lag check proposes again if the change is still due.
/// </summary>
public sealed partial class IsrProposals
{
    private static readonly TimeSpan _callTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan _retryDelay = TimeSpan.FromMilliseconds(500);

    private readonly Channel<Partition> _waiting = Channel.CreateUnbounded<Partition>(new UnboundedChannelOptions { SingleReader = true });
    private readonly int _brokerId;
    private readonly IGrainFactory _grains;
    private readonly ILogger _logger;
    private readonly CancellationToken _stop;

    public IsrProposals(int brokerId, IGrainFactory grains, ILogger<IsrProposals> logger, CancellationToken stop)
    {
        _brokerId = brokerId;
        _grains = grains;
        _logger = logger;
        _stop = stop;
        Completion = Task.Run(SendAsync, CancellationToken.None);
    }

    public Task Completion { get; }

    /// <summary>Called by a leader, under its lock, when it has a proposal: only queues it.</summary>
    public void Add(Partition partition) => _waiting.Writer.TryWrite(partition);

    private async Task SendAsync()
    {
        var batch = new List<(Partition Partition, AlterPartitionItem Item)>();
        try
        {
            while (await _waiting.Reader.WaitToReadAsync(_stop).ConfigureAwait(false))
            {
                batch.Clear();
                while (_waiting.Reader.TryRead(out var partition))
                {
                    if (partition.TakeProposal() is { } item && !batch.Exists(b => ReferenceEquals(b.Partition, partition)))
                    {
                        batch.Add((partition, item));
                    }
                }
                if (batch.Count > 0)
                {
                    await SendBatchAsync(batch).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SendBatchAsync(List<(Partition Partition, AlterPartitionItem Item)> batch)
    {
        var items = batch.ConvertAll(b => b.Item);
        try
        {
            var results = await _grains.GetGrain<IControllerGrain>(0).AlterPartition(_brokerId, items).WaitAsync(_callTimeout, _stop).ConfigureAwait(false);
            var refused = false;
            for (var i = 0; i < batch.Count; i++)
            {
                var result = i < results.Count ? results[i] : null;
                if (result is { Error: not ErrorCode.None })
                {
                    LogRefused(_logger, batch[i].Partition.Id.ToString(), string.Join(',', batch[i].Item.NewIsr), result.Error.KafkaName(), result.ErrorMessage ?? "");
                    refused = true;
                }
                batch[i].Partition.CompleteProposal(batch[i].Item, result);
            }
            if (refused)
            {
                // A refused proposal is made again at the follower's next fetch if still due: not faster than this.
                await Task.Delay(_retryDelay, _stop).ConfigureAwait(false);
            }
        }
        catch (Exception error) when (error is not OperationCanceledException || !_stop.IsCancellationRequested)
        {
            LogFailed(_logger, batch.Count, error.Message);
            foreach (var (partition, item) in batch)
            {
                partition.CompleteProposal(item, null);
            }
            await Task.Delay(_retryDelay, _stop).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 710, Level = LogLevel.Information, Message = "The controller refused the ISR [{Isr}] for {Partition}: {Error}: {Message}")]
    private static partial void LogRefused(ILogger logger, string partition, string isr, string error, string message);

    [LoggerMessage(EventId = 711, Level = LogLevel.Warning, Message = "Sending {Count} ISR proposals to the controller failed ({Reason}); they are proposed again when still due")]
    private static partial void LogFailed(ILogger logger, int count, string reason);
}
