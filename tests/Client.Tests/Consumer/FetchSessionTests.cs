using Microsoft.Extensions.Time.Testing;
using Orlog.Records;

namespace Orlog.Client.Tests.Consumer;

/// <summary>What the consumer fetches, from whom and where, driven with a fake clock.</summary>
public sealed class FetchSessionTests
{
    private readonly FakeTimeProvider _time = new();
    private int _version;

    [Fact]
    public void FetchablePartitionsGoInOneRequestPerLeader()
    {
        var session = Session();
        Start(session, "orders", 0, leader: 1, 10);
        Start(session, "orders", 1, leader: 2, 20);
        Start(session, "orders", 2, leader: 1, 30);
        var round = session.Plan(full: false);
        Assert.Equal([1, 2], round.Fetches.Keys.Order());
        Assert.Equal([10L, 30L], round.Fetches[1].Select(p => p.Offset));
        Assert.Equal([20L], round.Fetches[2].Select(p => p.Offset));
        // A partition with a fetch out is not planned again until its answer is in.
        Assert.Empty(session.Plan(full: false).Fetches);
    }

    [Fact]
    public void RecordsMoveThePositionPastTheirBatches()
    {
        var session = Session();
        Start(session, "orders", 0, leader: 1, 0);
        var planned = Assert.Single(session.Plan(full: false).Fetches[1]);
        Assert.True(session.Answered(planned));
        using var builder = new RecordBatchBuilder();
        for (var i = 0; i < 3; i++)
        {
            builder.Append(1_700_000_000_000 + i, RecordBytes.Null, new byte[] { 1 });
        }
        Assert.Equal(FetchOutcome.Records, session.Fetched(planned, builder.ToArray(), 3));
        Assert.Equal(3, Assert.Single(session.Plan(full: false).Fetches[1]).Offset);
    }

    [Fact]
    public void TheEndOfThePartitionIsReportedOnceUntilRecordsCome()
    {
        var session = Session(reportEof: true);
        Start(session, "orders", 0, leader: 1, 5);
        var first = Assert.Single(session.Plan(full: false).Fetches[1]);
        session.Answered(first);
        Assert.Equal(FetchOutcome.EndOfPartition, session.Fetched(first, [], highWatermark: 5));
        var second = Assert.Single(session.Plan(full: false).Fetches[1]);
        session.Answered(second);
        Assert.Equal(FetchOutcome.Nothing, session.Fetched(second, [], highWatermark: 5));
    }

    [Fact]
    public void AnAnswerForAnEarlierStartIsStale()
    {
        var session = Session();
        var owner = Start(session, "orders", 0, leader: 1, 10);
        var planned = Assert.Single(session.Plan(full: false).Fetches[1]);
        // A seek while the fetch is out: the new position is fetched at once, in a request of its own.
        session.Start(owner, ++_version, 1, 50);
        Assert.Equal(50, Assert.Single(session.Plan(full: false).Fetches[1]).Offset);
        Assert.False(session.Answered(planned));
    }

    [Fact]
    public void AFailedPartitionWaitsTheBackoffAndFollowsItsNewLeader()
    {
        var session = Session();
        Start(session, "orders", 0, leader: 1, 10);
        var planned = Assert.Single(session.Plan(full: false).Fetches[1]);
        session.MoveLeader(planned, 3);
        session.Backoff(planned);
        var waiting = session.Plan(full: false);
        Assert.Equal((0, 100L), (waiting.Fetches.Count, waiting.WaitMs));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(10, Assert.Single(session.Plan(full: false).Fetches[3]).Offset);
    }

    [Fact]
    public void AFullQueueStopsFetchingButNotOffsetLookups()
    {
        var session = Session();
        Start(session, "orders", 0, leader: 1, 10);
        Start(session, "orders", 1, leader: 1, Offset.End);
        var round = session.Plan(full: true);
        Assert.Empty(round.Fetches);
        var lookup = Assert.Single(round.Lookups);
        Assert.Equal(Grains.OffsetSpec.Latest, FetchSession.LookupSpec(lookup));
        session.Answered(lookup);
        session.Positioned(lookup, 42);
        Assert.Equal([10L, 42L], session.Plan(full: false).Fetches[1].Select(p => p.Offset).Order());
    }

    [Fact]
    public void AResetAfterAnOffsetOutOfRangeIsANewGeneration()
    {
        var session = Session();
        Start(session, "orders", 0, leader: 1, 100);
        var planned = Assert.Single(session.Plan(full: false).Fetches[1]);
        session.Answered(planned);
        session.Reset(planned, Offset.Beginning);
        Assert.Equal((1, 100L), (planned.Partition.Generation, planned.Partition.ResetFrom));
        var lookup = Assert.Single(session.Plan(full: false).Lookups);
        Assert.Equal(Grains.OffsetSpec.Earliest, FetchSession.LookupSpec(lookup));
    }

    [Fact]
    public void HaltedAndStoppedPartitionsAreNotFetched()
    {
        var session = Session();
        var halted = Start(session, "orders", 0, leader: 1, 10);
        var stopped = Start(session, "orders", 1, leader: 1, 10);
        var planned = session.Plan(full: false).Fetches[1];
        session.Answered(planned[0]);
        session.Halt(planned[0]);
        session.Stop(stopped.TopicPartition, ++_version);
        Assert.Empty(session.Plan(full: false).Fetches);
        Assert.Equal(1, session.Count);
        session.Start(halted, ++_version, 1, 10);
        Assert.Single(session.Plan(full: false).Fetches[1]);
    }

    private FetchSession Session(bool reportEof = false) => new(new Clock(_time), 100, reportEof);

    private AssignedPartition Start(FetchSession session, string topic, int partition, int leader, Offset from)
    {
        var tp = new TopicPartition(topic, partition);
        var owner = new AssignedPartition(tp, leader, new PartitionOffsets(tp));
        session.Start(owner, ++_version, leader, from);
        return owner;
    }
}
