using System.Diagnostics;
using Orlog.Cli.Output;
using Orlog.Client;

namespace Orlog.Cli.Commands;

/// <summary>
/// `orlog consume TOPIC --group G`: reads as a member of the group, at least once. A record's offset is stored only
/// after the record was written to stdout and stdout was flushed; stored offsets are committed in the background at
/// most every auto.commit.interval.ms, before partitions are revoked, and synchronously at the end, before the
/// consumer leaves the group. A consumer killed at any moment skips nothing; it may print again what it printed
/// since its last commit.
/// </summary>
internal sealed class GroupConsume
{
    private readonly RecordWriter _writer;
    private readonly long _commitIntervalMs;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    // The next offset of each partition whose records are written but not yet stored (they may still sit in the writer's buffer).
    private readonly Dictionary<TopicPartition, long> _written = [];
    private bool _uncommitted;
    private long _nextCommitMs;
    private Task<bool>? _commit;

    public GroupConsume(RecordWriter writer, int commitIntervalMs)
    {
        _writer = writer;
        _commitIntervalMs = commitIntervalMs;
        _nextCommitMs = commitIntervalMs;
    }

    /// <summary>Partitions about to go to another member: what was printed of them is committed first.</summary>
    public void OnRevoked(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartitionOffset> partitions)
    {
        StoreWritten(consumer);
        if (_uncommitted || _commit is not null)
        {
            CommitNow(consumer, "before partitions were revoked");
        }
    }

    /// <summary>Partitions another member already has: their offsets can no longer be committed by this one.</summary>
    public void OnLost(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartitionOffset> partitions)
    {
        _writer.Flush();
        foreach (var partition in partitions)
        {
            _written.Remove(partition.TopicPartition);
        }
    }

    /// <summary>Consumes until --max-messages, --timeout-ms without a record, or cancellation; commits and leaves the group.</summary>
    public async Task<long> RunAsync(IConsumer<byte[]?, byte[]?> consumer, long? maxMessages, int? timeoutMs, CancellationToken cancel)
    {
        long count = 0;
        var lastRecordMs = _clock.ElapsedMilliseconds;
        while (!cancel.IsCancellationRequested && (maxMessages is null || count < maxMessages))
        {
            var result = consumer.Consume(TimeSpan.Zero);
            if (result is null)
            {
                // Nothing ready: hand what is printed to the reader, and only then count it as consumed.
                StoreWritten(consumer);
                CommitIfDue(consumer);
                // Wake up for the next commit; never spin, even with auto.commit.interval.ms=0.
                var waitMs = Math.Max(100, _commitIntervalMs);
                if (timeoutMs is { } idleMs)
                {
                    var leftMs = idleMs - (_clock.ElapsedMilliseconds - lastRecordMs);
                    if (leftMs <= 0)
                    {
                        break;
                    }
                    waitMs = Math.Min(waitMs, leftMs);
                }
                try
                {
                    result = await consumer.ConsumeAsync(TimeSpan.FromMilliseconds(waitMs), cancel);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                if (result is null)
                {
                    continue;
                }
            }
            if (result.IsPartitionEOF || result.Message is null)
            {
                continue;
            }
            _writer.Write(ConsumeCommand.ToRecord(result));
            _written[result.TopicPartition] = result.Offset.Value + 1;
            count++;
            lastRecordMs = _clock.ElapsedMilliseconds;
            if (lastRecordMs >= _nextCommitMs)
            {
                // A steady stream never leaves Consume empty-handed: flush and commit on the interval too.
                StoreWritten(consumer);
                CommitIfDue(consumer);
            }
        }
        StoreWritten(consumer);
        if (_commit is not null)
        {
            _uncommitted |= !await _commit;
            _commit = null;
        }
        if (_uncommitted)
        {
            CommitNow(consumer, "at exit");
        }
        consumer.Close();
        return count;
    }

    private void StoreWritten(IConsumer<byte[]?, byte[]?> consumer)
    {
        _writer.Flush();
        foreach (var (partition, next) in _written)
        {
            try
            {
                consumer.StoreOffset(new TopicPartitionOffset(partition, next));
                _uncommitted = true;
            }
            catch (InvalidOperationException)
            {
                // No longer assigned: the member that has it now starts from the last commit (a duplicate, never a gap).
            }
        }
        _written.Clear();
    }

    private void CommitIfDue(IConsumer<byte[]?, byte[]?> consumer)
    {
        if (_commit is { IsCompleted: true } done)
        {
            _uncommitted |= !done.Result;
            _commit = null;
        }
        var now = _clock.ElapsedMilliseconds;
        if (!_uncommitted || now < _nextCommitMs || _commit is not null)
        {
            return;
        }
        _uncommitted = false;
        _nextCommitMs = now + _commitIntervalMs;
        _commit = CommitInBackground(consumer);
    }

    private static async Task<bool> CommitInBackground(IConsumer<byte[]?, byte[]?> consumer)
    {
        try
        {
            await consumer.CommitAsync();
            return true;
        }
        catch (Exception error) when (error is KafkaException or InvalidOperationException or OperationCanceledException)
        {
            Console.Error.WriteLine($"orlog: warning: committing offsets failed (retried later): {error.Message}");
            return false;
        }
    }

    private void CommitNow(IConsumer<byte[]?, byte[]?> consumer, string when)
    {
        try
        {
            consumer.Commit();
            _uncommitted = false;
        }
        catch (KafkaException error)
        {
            Console.Error.WriteLine($"orlog: warning: committing offsets {when} failed; the group may deliver those records again: {error.Message}");
        }
    }
}
