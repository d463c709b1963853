namespace Orlog.Client.Tests;

/// <summary>The rebalance handler calls (and, if asked, the records) of several consumers, in the order they happened.</summary>
internal sealed class GroupEventLog
{
    private readonly List<Entry> _entries = [];

    public void Add(string member, string kind, IEnumerable<TopicPartition> partitions)
    {
        lock (_entries)
        {
            foreach (var partition in partitions)
            {
                _entries.Add(new Entry(_entries.Count, member, kind, partition, -1));
            }
        }
    }

    public void AddRecord(string member, TopicPartition partition, long offset)
    {
        lock (_entries)
        {
            _entries.Add(new Entry(_entries.Count, member, "record", partition, offset));
        }
    }

    public List<Entry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>
    /// One handler call for one partition ("assigned", "revoked", "lost"), a member stopped by the test ("killed"), or a
    /// record processed ("record", with its offset).
    /// </summary>
    public sealed record Entry(int Sequence, string Member, string Kind, TopicPartition Partition, long Offset);
}
