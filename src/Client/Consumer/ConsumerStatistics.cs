using System.Globalization;
using System.Text.Json;

namespace Orlog.Client;

/// <summary>
/// A consumer's counters for the statistics handler, and the consumer's part of the document in librdkafka's
/// shape: rxmsgs and rxmsg_bytes, each assigned partition's offsets and lag under topics, and cgrp. The consuming
/// thread counts; the statistics timer reads (a count a moment old is fine).
/// </summary>
internal sealed class ConsumerStatistics
{
    private long _records;
    private long _bytes;
    private long _rebalances;

    /// <summary>A record returned by Consume.</summary>
    public void Consumed() => _records++;

    /// <summary>A fetched chunk fully read (its bytes as fetched).</summary>
    public void ChunkDone(long bytes) => _bytes += bytes;

    /// <summary>An assignment from the group taken.</summary>
    public void Rebalanced() => _rebalances++;

    public void Write(Utf8JsonWriter writer, IReadOnlyList<AssignedPartition> partitions, bool inGroup, bool joined)
    {
        writer.WriteNumber("rxmsgs", Volatile.Read(ref _records));
        writer.WriteNumber("rxmsg_bytes", Volatile.Read(ref _bytes));
        writer.WriteStartObject("topics");
        foreach (var topic in partitions.GroupBy(p => p.Topic).OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            writer.WriteStartObject(topic.Key);
            writer.WriteString("topic", topic.Key);
            writer.WriteStartObject("partitions");
            foreach (var partition in topic.OrderBy(p => p.Partition))
            {
                WritePartition(writer, partition);
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        if (inGroup)
        {
            writer.WriteStartObject("cgrp");
            writer.WriteString("state", joined ? "up" : "wait-coord");
            writer.WriteString("join_state", joined ? "steady" : "init");
            writer.WriteNumber("rebalance_cnt", Volatile.Read(ref _rebalances));
            writer.WriteNumber("assignment_size", partitions.Count);
            writer.WriteEndObject();
        }
    }

    private static void WritePartition(Utf8JsonWriter writer, AssignedPartition partition)
    {
        var offsets = partition.Offsets;
        var (low, high) = partition.Watermarks is { } marks ? (marks.Low.Value, marks.High.Value) : (-1L, -1L);
        writer.WriteStartObject(partition.Partition.ToString(CultureInfo.InvariantCulture));
        writer.WriteNumber("partition", partition.Partition);
        writer.WriteNumber("leader", partition.Leader);
        writer.WriteString("fetch_state", partition.Paused ? "stopped" : "active");
        writer.WriteNumber("next_offset", offsets.Position);
        writer.WriteNumber("app_offset", offsets.Position);
        writer.WriteNumber("stored_offset", offsets.Stored);
        writer.WriteNumber("committed_offset", offsets.Committed);
        writer.WriteNumber("lo_offset", low);
        writer.WriteNumber("hi_offset", high);
        writer.WriteNumber("ls_offset", high);
        writer.WriteNumber("consumer_lag", Lag(high, offsets.Position));
        writer.WriteNumber("consumer_lag_stored", Lag(high, offsets.Stored));
        writer.WriteEndObject();
    }

    /// <summary>librdkafka's lag: the high watermark minus the offset, -1 when either is unknown.</summary>
    private static long Lag(long high, long offset) => high >= 0 && offset >= 0 ? Math.Max(0, high - offset) : -1;
}
