using Microsoft.Extensions.Time.Testing;
using Orlog.Grains.Partitions;
using Orlog.Log;
using Orlog.Records;

namespace Orlog.Grains.Tests.Partitions;

/// <summary>
/// The replicas of one partition on several brokers as plain <see cref="Partition"/> objects over real logs in
/// a temp directory, with a fake clock. The test plays the controller (<see cref="Elect"/>, <see cref="Confirm"/>)
/// and the network (<see cref="Replicate"/>: one follower's truncation rounds, then one fetch), and can crash
/// and restart a broker (its log reopened from disk, its high watermark forgotten).
/// </summary>
internal sealed class ReplicaSet : IDisposable
{
    public const long LagMs = 10_000;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "orlog-replica-tests", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<int, Partition> _replicas = [];
    private readonly List<Partition> _proposals = [];
    private readonly Dictionary<int, long> _brokerEpochs = [];
    private long _lastBrokerEpoch;

    public ReplicaSet(params int[] brokers)
    {
        Brokers = brokers;
        foreach (var broker in brokers)
        {
            Start(broker);
        }
    }

    public FakeTimeProvider Time { get; } = new();

    public Guid TopicId { get; } = Guid.NewGuid();

    public IReadOnlyList<int> Brokers { get; }

    /// <summary>The controller's view: what <see cref="Elect"/> and <see cref="Confirm"/> last decided.</summary>
    public PartitionMetadata Metadata { get; private set; } = new(0, PartitionMetadata.NoLeader, -1, [], [], -1);

    public int MinInsyncReplicas { get; set; } = 1;

    public Partition this[int broker] => _replicas[broker];

    public Partition Leader => _replicas[Metadata.Leader];

    /// <summary>Leaders that asked for an ISR change since the last <see cref="Confirm"/>.</summary>
    public IReadOnlyList<Partition> Proposals => _proposals;

    /// <summary>A new leader at the next leader epoch, told to the brokers listed (all running ones by default).</summary>
    public void Elect(int leader, int[] isr, params int[] tell)
    {
        Metadata = new PartitionMetadata(0, leader, Metadata.LeaderEpoch + 1, Brokers, isr, Metadata.PartitionEpoch + 1);
        Tell(tell);
    }

    /// <summary>Pushes the current metadata to the brokers listed (all running ones by default).</summary>
    public void Tell(params int[] brokers)
    {
        foreach (var broker in brokers.Length == 0 ? _replicas.Keys.ToArray() : brokers)
        {
            _replicas[broker].ApplyMetadata(Metadata, MinInsyncReplicas);
        }
    }

    /// <summary>The broker epoch of a broker's current run: new at every <see cref="Start"/>.</summary>
    public long BrokerEpochOf(int broker) => _brokerEpochs[broker];

    /// <summary>
    /// Plays the controller's AlterPartition for every pending proposal: accepted at the current epochs, refused
    /// otherwise, and refused (INELIGIBLE_REPLICA) when a member it adds has started again since its counted fetch.
    /// </summary>
    public List<AlterPartitionResult> Confirm()
    {
        var results = new List<AlterPartitionResult>();
        foreach (var partition in _proposals.Distinct().ToList())
        {
            if (partition.TakeProposal() is not { } item)
            {
                continue;
            }
            AlterPartitionResult result;
            if (item.LeaderEpoch != Metadata.LeaderEpoch || item.PartitionEpoch != Metadata.PartitionEpoch || partition.BrokerId != Metadata.Leader)
            {
                var error = item.LeaderEpoch < Metadata.LeaderEpoch ? ErrorCode.FencedLeaderEpoch
                    : item.LeaderEpoch > Metadata.LeaderEpoch ? ErrorCode.UnknownLeaderEpoch
                    : ErrorCode.InvalidUpdateVersion;
                result = new AlterPartitionResult(item.Topic, item.Partition, error, "refused", null);
            }
            else if (item.NewIsr.Any(b => !Metadata.Isr.Contains(b) && item.BrokerEpochOf(b) != _brokerEpochs.GetValueOrDefault(b, -1)))
            {
                result = new AlterPartitionResult(item.Topic, item.Partition, ErrorCode.IneligibleReplica, "restarted", null);
            }
            else
            {
                Metadata = Metadata with { Isr = item.NewIsr, PartitionEpoch = Metadata.PartitionEpoch + 1 };
                result = new AlterPartitionResult(item.Topic, item.Partition, ErrorCode.None, null, Metadata);
            }
            partition.CompleteProposal(item, result);
            results.Add(result);
        }
        _proposals.Clear();
        return results;
    }

    /// <summary>One follower catches up with the leader as far as one round trip goes: truncation rounds first, then one fetch.</summary>
    public int Replicate(int follower, int? from = null)
    {
        var replica = _replicas[follower];
        var leader = _replicas[from ?? replica.Leader];
        for (var round = 0; round < 10 && replica.EpochToTruncateBy() is { } epoch; round++)
        {
            var answer = leader.EndOffsetForEpoch(replica.LeaderEpoch, epoch);
            if (answer.Error != ErrorCode.None || replica.ApplyEpochEndOffset(replica.LeaderEpoch, answer))
            {
                break;
            }
        }
        if (!replica.IsFollowing(out var leaderEpoch, out var offset))
        {
            return 0;
        }
        var result = leader.ReadForFollower(follower, _brokerEpochs[follower], leaderEpoch, offset, 1 << 20);
        if (result.Error is not ErrorCode.None and not ErrorCode.OffsetOutOfRange)
        {
            throw new KafkaException(result.Error, result.ErrorMessage ?? "");
        }
        return replica.AppendFromLeader(leaderEpoch, offset, result);
    }

    /// <summary>Replicates every follower twice, so that the leader also learns where they got to.</summary>
    public void ReplicateAll()
    {
        for (var i = 0; i < 2; i++)
        {
            foreach (var broker in _replicas.Keys)
            {
                if (_replicas[broker].Role == ReplicaRole.Follower)
                {
                    Replicate(broker);
                }
            }
        }
    }

    /// <summary>Stops a broker: its replica is gone (its log closed) until <see cref="Start"/>.</summary>
    public void Crash(int broker)
    {
        _replicas.Remove(broker, out var replica);
        replica!.Log.Dispose();
    }

    /// <summary>Starts a broker: its log reopened from disk, its replica knowing no metadata yet.</summary>
    public Partition Start(int broker)
    {
        var log = PartitionLog.Open(Path.Combine(_directory, broker.ToString(System.Globalization.CultureInfo.InvariantCulture)), new LogConfig(),
            new PartitionLogOptions { TopicId = TopicId, Time = Time });
        var replica = new Partition(new TopicPartition("t", 0), broker, TopicId, log, Time, LagMs, _proposals.Add);
        _replicas[broker] = replica;
        _brokerEpochs[broker] = ++_lastBrokerEpoch;
        return replica;
    }

    /// <summary>(offset, leader epoch, CRC, length) of every batch: what two replicas of one partition must agree on.</summary>
    public static List<(long Offset, int Epoch, uint Crc, int Length)> BatchesOf(Partition replica)
    {
        var result = new List<(long, int, uint, int)>();
        var records = replica.Log.Read(replica.Log.LogStartOffset, int.MaxValue).Records;
        var batches = new RecordBatchEnumerator(records);
        while (batches.MoveNext())
        {
            var header = RecordBatchHeader.Read(batches.Current);
            result.Add((header.BaseOffset, header.PartitionLeaderEpoch, header.Crc, header.TotalSize));
        }
        return result;
    }

    /// <summary>The values in a replica's log, in offset order.</summary>
    public static List<string> ValuesOf(Partition replica) =>
        Batches.Read(replica.Log.Read(replica.Log.LogStartOffset, int.MaxValue).Records).Select(r => r.Value).ToList();

    public void Dispose()
    {
        foreach (var replica in _replicas.Values)
        {
            replica.Log.Dispose();
        }
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
