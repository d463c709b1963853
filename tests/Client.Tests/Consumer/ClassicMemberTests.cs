using Microsoft.Extensions.Time.Testing;
using Orlog.Grains;
using Orlog.Grains.Groups.Classic;

namespace Orlog.Client.Tests.Consumer;

/// <summary>The consumer's group membership in the classic dialect (JoinGroup, SyncGroup, eager rebalances) driven with a fake clock.</summary>
public sealed class ClassicMemberTests
{
    private const int Interval = 3_000;
    private readonly FakeTimeProvider _time = new();
    private Clock? _clock;

    [Fact]
    public void AJoinWithoutIdIsGivenOneAndTheLeaderAssignsFromEveryMembersSubscription()
    {
        var member = Member();
        Assert.Equal((MemberStepKind.Wait, -1L), (Next(member).Kind, Next(member).WaitMs));
        member.Subscribe(TopicSubscription.Parse(["orders"]));
        var first = CallOf<JoinCall>(member).Request;
        Assert.Equal(("", "consumer", 300_000), (first.MemberId, first.ProtocolType, first.RebalanceTimeoutMs));
        Assert.Equal(["range", "roundrobin"], first.Protocols.Select(p => p.Name));
        Assert.Equal(["orders"], ConsumerProtocol.DecodeSubscription(first.Protocols[0].Metadata).Topics);

        member.OnAnswer(new JoinCall(first), JoinAnswer(ErrorCode.MemberIdRequired, "m-1", 0, ""));
        var second = CallOf<JoinCall>(member).Request;
        Assert.Equal("m-1", second.MemberId);

        // Elected leader: it reads the partition counts, assigns with range, and brings every member's share.
        member.OnAnswer(new JoinCall(second), JoinAnswer(ErrorCode.None, "m-1", 1, "m-1", ("m-1", ["orders"]), ("m-2", ["orders", "payments"])));
        var topics = CallOf<TopicsCall>(member);
        member.OnAnswer(topics, new TopicCounts(new Dictionary<string, int> { ["orders"] = 4, ["payments"] = 2, ["other"] = 9 }));
        var sync = CallOf<SyncCall>(member).Request;
        Assert.Equal(("m-1", 1, "range"), (sync.MemberId, sync.GenerationId, sync.ProtocolName));
        var shares = sync.Assignments.ToDictionary(a => a.MemberId, a => Names(ConsumerProtocol.DecodeAssignment(a.Assignment).Partitions));
        Assert.Equal(["orders-0", "orders-1"], shares["m-1"]);
        Assert.Equal(["orders-2", "orders-3", "payments-0", "payments-1"], shares["m-2"]);

        Assert.Equal(0, member.Epoch);
        member.OnAnswer(new SyncCall(sync), SyncAnswer(("orders", 0), ("orders", 1)));
        Assert.Equal((1, true, true), (member.Epoch, member.HasJoined, member.IsLeader));
        Assert.Equal([P("orders", 0), P("orders", 1)], member.Target!.OrderBy(p => p.Partition));
        Assert.Equal((MemberStepKind.Wait, (long)Interval), (Next(member).Kind, Next(member).WaitMs));
        _time.Advance(TimeSpan.FromMilliseconds(Interval));
        var beat = CallOf<ClassicHeartbeatCall>(member);
        Assert.Equal(("m-1", 1), (beat.MemberId, beat.GenerationId));
    }

    [Fact]
    public void AFollowerSyncsWithoutAssignmentsAndTakesItsShare()
    {
        var member = Stable(("orders", 2));
        Assert.False(member.IsLeader);
        Assert.Equal([P("orders", 2)], member.Target!);
    }

    [Fact]
    public void ARebalanceRevokesEverythingBeforeJoiningAgainUnderTheOldGeneration()
    {
        var member = Stable(("orders", 0), ("orders", 1));
        member.Reconciled([P("orders", 0), P("orders", 1)]);
        var version = member.TargetVersion;
        _time.Advance(TimeSpan.FromMilliseconds(Interval));
        var beat = CallOf<ClassicHeartbeatCall>(member);
        member.OnAnswer(beat, ErrorCode.RebalanceInProgress);
        // The target empties: the consuming thread revokes (committing under generation 1) before the join goes out.
        Assert.Equal((0, version + 1, 1), (member.Target!.Count, member.TargetVersion, member.Epoch));
        var wait = Next(member);
        Assert.Equal((MemberStepKind.Wait, (long)Interval), (wait.Kind, wait.WaitMs));
        // Still heartbeating meanwhile, so the session holds while the application finishes its revocation.
        _time.Advance(TimeSpan.FromMilliseconds(Interval));
        member.OnAnswer(CallOf<ClassicHeartbeatCall>(member), ErrorCode.RebalanceInProgress);
        member.Reconciled([]);
        var join = CallOf<JoinCall>(member).Request;
        Assert.Equal("m-1", join.MemberId);
        Assert.Empty(ConsumerProtocol.DecodeSubscription(join.Protocols[0].Metadata).OwnedPartitions);
    }

    [Fact]
    public void AnIllegalGenerationLosesThePartitionsAndRejoinsWithTheSameId()
    {
        var member = Stable(("orders", 0));
        member.Reconciled([P("orders", 0)]);
        _time.Advance(TimeSpan.FromMilliseconds(Interval));
        member.OnAnswer(CallOf<ClassicHeartbeatCall>(member), ErrorCode.IllegalGeneration);
        Assert.True(member.TryTakeChange(out var change));
        Assert.Contains("ILLEGAL_GENERATION", Assert.IsType<PartitionsLost>(change).Reason);
        Assert.Equal((0, null, true), (member.Epoch, member.Target, member.AwaitingRelease));
        Assert.Equal(-1, Next(member).WaitMs);
        member.Reconciled([]);
        Assert.Equal("m-1", CallOf<JoinCall>(member).Request.MemberId);
    }

    [Fact]
    public void AnUnknownMemberRejoinsWithoutAnId()
    {
        var member = Stable(("orders", 0));
        _time.Advance(TimeSpan.FromMilliseconds(Interval));
        member.OnAnswer(CallOf<ClassicHeartbeatCall>(member), ErrorCode.UnknownMemberId);
        // It owned nothing yet: nothing to tell the consuming thread, it joins again at once.
        Assert.False(member.TryTakeChange(out _));
        Assert.Equal("", CallOf<JoinCall>(member).Request.MemberId);
    }

    [Fact]
    public void NoAnsweredHeartbeatForTheSessionTimeoutLosesThePartitions()
    {
        var member = Stable(("orders", 0));
        member.Reconciled([P("orders", 0)]);
        var elapsed = 0L;
        while (!member.AwaitingRelease && elapsed <= 46_000)
        {
            var step = Next(member);
            if (step.Kind == MemberStepKind.Send)
            {
                member.OnNoAnswer(step.Call!, "the connection was lost");
                continue;
            }
            if (member.AwaitingRelease)
            {
                break;
            }
            _time.Advance(TimeSpan.FromMilliseconds(step.WaitMs));
            elapsed += step.WaitMs;
        }
        Assert.True(member.TryTakeChange(out var change));
        Assert.Contains("session.timeout.ms", Assert.IsType<PartitionsLost>(change).Reason);
        Assert.InRange(elapsed, 45_000, 45_200);
    }

    [Fact]
    public void NotPollingWithinMaxPollIntervalLeavesTheGroup()
    {
        var member = Stable(("orders", 0));
        var lastPoll = Clock().NowMs;
        MemberStep step;
        do
        {
            step = member.Next(false, lastPoll);
            if (step.Kind == MemberStepKind.Send)
            {
                member.OnAnswer(step.Call!, ErrorCode.None);
            }
            else if (step.Kind == MemberStepKind.Wait)
            {
                _time.Advance(TimeSpan.FromMilliseconds(step.WaitMs));
            }
        }
        while (step.Kind != MemberStepKind.Leave);
        Assert.Equal("m-1", Assert.IsType<LeaveCall>(step.Call).Member.MemberId);
        Assert.True(member.TryTakeChange(out var change));
        Assert.Contains("max.poll.interval.ms", Assert.IsType<PartitionsLost>(change).Reason);
        member.Reconciled([]);
        Assert.Equal("", CallOf<JoinCall>(member).Request.MemberId);
    }

    [Fact]
    public void AStaticMemberJoinsUnderItsInstanceIdAndLeavesByLettingItsSessionExpire()
    {
        var member = Stable(new ConsumerConfig { GroupId = "g", GroupProtocol = GroupProtocol.Classic, GroupInstanceId = "host-1" }, ("orders", 0));
        Assert.Null(member.Leave());
        member.Subscribe(TopicSubscription.Parse(["orders"]));
        Assert.Equal("host-1", CallOf<JoinCall>(member).Request.GroupInstanceId);
    }

    [Fact]
    public void ADynamicMemberLeavesWithLeaveGroup()
    {
        var member = Stable(("orders", 0));
        Assert.Equal("m-1", Assert.IsType<LeaveCall>(member.Leave()).Member.MemberId);
        Assert.False(member.IsSubscribed);
    }

    [Fact]
    public void APatternIsMatchedAgainstTheTopicsAndANewMatchRebalances()
    {
        var config = new ConsumerConfig { GroupId = "g", GroupProtocol = GroupProtocol.Classic, MetadataMaxAgeMs = 10_000 };
        var member = Member(config);
        member.Subscribe(TopicSubscription.Parse(["^orders-.*"]));
        var look = CallOf<TopicsCall>(member);
        member.OnAnswer(look, new TopicCounts(new Dictionary<string, int> { ["orders-eu"] = 1, ["orders-us"] = 1, ["payments"] = 1 }));
        var join = CallOf<JoinCall>(member).Request;
        Assert.Equal(["orders-eu", "orders-us"], ConsumerProtocol.DecodeSubscription(join.Protocols[0].Metadata).Topics);
        member.OnAnswer(new JoinCall(join), JoinAnswer(ErrorCode.None, "m-1", 1, "m-0"));
        member.OnAnswer(CallOf<SyncCall>(member), SyncAnswer(("orders-eu", 0)));
        member.Reconciled([P("orders-eu", 0)]);

        // Heartbeats until metadata.max.age.ms, then a look at the topics: a new match means a new assignment.
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(Next(member).WaitMs));
            member.OnAnswer(CallOf<ClassicHeartbeatCall>(member), ErrorCode.None);
        }
        _time.Advance(TimeSpan.FromMilliseconds(Next(member).WaitMs));
        var again = CallOf<TopicsCall>(member);
        member.OnAnswer(again, new TopicCounts(new Dictionary<string, int> { ["orders-eu"] = 1, ["orders-us"] = 1, ["orders-asia"] = 1 }));
        Assert.Empty(member.Target!);
        member.Reconciled([]);
        var look2 = CallOf<TopicsCall>(member);
        member.OnAnswer(look2, new TopicCounts(new Dictionary<string, int> { ["orders-eu"] = 1, ["orders-us"] = 1, ["orders-asia"] = 1 }));
        Assert.Equal(["orders-asia", "orders-eu", "orders-us"], ConsumerProtocol.DecodeSubscription(CallOf<JoinCall>(member).Request.Protocols[0].Metadata).Topics);
    }

    [Fact]
    public void TheLeaderRebalancesWhenASubscribedTopicGrows()
    {
        var member = Member(new ConsumerConfig { GroupId = "g", GroupProtocol = GroupProtocol.Classic, MetadataMaxAgeMs = 5_000 });
        member.Subscribe(TopicSubscription.Parse(["orders"]));
        member.OnAnswer(CallOf<JoinCall>(member), JoinAnswer(ErrorCode.None, "m-1", 1, "m-1", ("m-1", ["orders"])));
        member.OnAnswer(CallOf<TopicsCall>(member), new TopicCounts(new Dictionary<string, int> { ["orders"] = 2 }));
        member.OnAnswer(CallOf<SyncCall>(member), SyncAnswer(("orders", 0), ("orders", 1)));
        _time.Advance(TimeSpan.FromMilliseconds(Interval));
        member.OnAnswer(CallOf<ClassicHeartbeatCall>(member), ErrorCode.None);
        _time.Advance(TimeSpan.FromMilliseconds(Next(member).WaitMs));
        var look = CallOf<TopicsCall>(member);
        member.OnAnswer(look, new TopicCounts(new Dictionary<string, int> { ["orders"] = 2 }));
        Assert.Equal(2, member.Target!.Count);
        // Heartbeats go on at their interval until the next look, which finds a third partition.
        MemberStep step;
        while ((step = Next(member)).Call is not TopicsCall)
        {
            if (step.Kind == MemberStepKind.Send)
            {
                member.OnAnswer(step.Call!, ErrorCode.None);
            }
            else
            {
                _time.Advance(TimeSpan.FromMilliseconds(step.WaitMs));
            }
        }
        member.OnAnswer(step.Call, new TopicCounts(new Dictionary<string, int> { ["orders"] = 3 }));
        Assert.Empty(member.Target!);
    }

    [Fact]
    public void AGroupOfTheOtherDialectRefusesTheJoinForGood()
    {
        var member = Member();
        member.Subscribe(TopicSubscription.Parse(["orders"]));
        member.OnAnswer(CallOf<JoinCall>(member), JoinAnswer(ErrorCode.InconsistentGroupProtocol, "", -1, ""));
        Assert.True(member.TryTakeChange(out var change));
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, Assert.IsType<MembershipFailed>(change).Error.Code);
        Assert.True(member.AwaitingRelease);
    }

    [Fact]
    public void RetriableJoinErrorsRetryAfterTheBackoff()
    {
        var member = Member();
        member.Subscribe(TopicSubscription.Parse(["orders"]));
        var join = CallOf<JoinCall>(member);
        Assert.NotNull(member.OnAnswer(join, JoinAnswer(ErrorCode.CoordinatorNotAvailable, "", -1, "")));
        Assert.Equal(100, Next(member).WaitMs);
        member.OnNoAnswer(join, "timed out");
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.IsType<JoinCall>(Next(member).Call);
    }

    [Fact]
    public void TheStrategyListDecidesTheProtocolsOfferedAndCooperativeAloneFallsBackToRange()
    {
        var config = new ConsumerConfig { GroupId = "g", GroupProtocol = GroupProtocol.Classic };
        config.Set("partition.assignment.strategy", "org.apache.kafka.clients.consumer.RoundRobinAssignor, cooperative-sticky");
        Assert.Equal(["roundrobin"], new ConsumerSettings(config).Assignors);
        Assert.Contains(config.Notes(SettingScope.Consumer), n => n.Contains("the others in the list are offered", StringComparison.Ordinal));
        config.Set("partition.assignment.strategy", "cooperative-sticky");
        Assert.Equal(["range"], new ConsumerSettings(config).Assignors);
        var unknown = Assert.Throws<ConfigException>(() => config.Set("partition.assignment.strategy", "range,bogus"));
        Assert.Contains("unknown assignor 'bogus'", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HeartbeatIntervalIsNotedAsWithoutEffectOnlyUnderTheServerSideProtocol()
    {
        var consumer = new ConsumerConfig { GroupId = "g", HeartbeatIntervalMs = 500 };
        Assert.Contains(consumer.Notes(SettingScope.Consumer), n => n.StartsWith("heartbeat.interval.ms=500 has no effect", StringComparison.Ordinal));
        consumer.GroupProtocol = GroupProtocol.Classic;
        Assert.DoesNotContain(consumer.Notes(SettingScope.Consumer), n => n.StartsWith("heartbeat.interval.ms", StringComparison.Ordinal));
        Assert.Equal(500, new ConsumerSettings(consumer).HeartbeatIntervalMs);
    }

    private ClassicMember Member(ConsumerConfig? config = null) =>
        new(new ConsumerSettings(config ?? new ConsumerConfig { GroupId = "g", GroupProtocol = GroupProtocol.Classic }), Clock(), "host");

    private ClassicMember Stable(params (string Topic, int Partition)[] assignment) => Stable(null, assignment);

    /// <summary>A follower of generation 1 with <paramref name="assignment"/>, as member m-1.</summary>
    private ClassicMember Stable(ConsumerConfig? config, params (string Topic, int Partition)[] assignment)
    {
        var member = Member(config);
        member.Subscribe(TopicSubscription.Parse(["orders"]));
        member.OnAnswer(CallOf<JoinCall>(member), JoinAnswer(ErrorCode.MemberIdRequired, "m-1", 0, ""));
        member.OnAnswer(CallOf<JoinCall>(member), JoinAnswer(ErrorCode.None, "m-1", 1, "m-0"));
        var sync = CallOf<SyncCall>(member);
        Assert.Empty(sync.Request.Assignments);
        member.OnAnswer(sync, SyncAnswer(assignment));
        return member;
    }

    private Clock Clock() => _clock ??= new Clock(_time);

    private MemberStep Next(ClassicMember member) => member.Next(true, Clock().NowMs);

    private T CallOf<T>(ClassicMember member)
        where T : MemberCall
    {
        var step = Next(member);
        Assert.Equal(MemberStepKind.Send, step.Kind);
        return Assert.IsType<T>(step.Call);
    }

    private static JoinGroupResponse JoinAnswer(ErrorCode error, string memberId, int generation, string leader, params (string Id, string[] Topics)[] members) =>
        new(error, null, generation, "consumer", "range", leader, false, memberId,
            [.. members.Select(m => new JoinGroupMember(m.Id, null, ConsumerProtocol.EncodeSubscription(new ConsumerSubscription(m.Topics, null, [], -1, null))))]);

    private static SyncGroupResponse SyncAnswer(params (string Topic, int Partition)[] partitions) =>
        new(ErrorCode.None, null, "consumer", "range",
            ConsumerProtocol.EncodeAssignment(new ConsumerAssignment([.. partitions.Select(p => new Grains.TopicPartition(p.Topic, p.Partition))], null)));

    private static TopicPartition P(string topic, int partition) => new(topic, partition);

    private static List<string> Names(IReadOnlyList<Grains.TopicPartition> partitions) => [.. partitions.Select(p => $"{p.Topic}-{p.Partition}")];
}
