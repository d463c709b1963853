using Microsoft.Extensions.Time.Testing;
using Orlog.Grains;

namespace Orlog.Client.Tests.Consumer;

/// <summary>The consumer's group membership (KIP-848 dialect) driven with a fake clock, answer by answer.</summary>
public sealed class GroupMemberTests
{
    private const int Interval = 3_000;
    private readonly FakeTimeProvider _time = new();
    private bool _polling = true;

    [Fact]
    public void AJoinSendsEveryFieldAndTheAnswerGivesEpochAndAssignment()
    {
        var member = Member();
        Assert.Equal(MemberStepKind.Wait, Next(member).Kind);
        member.Subscribe(TopicSubscription.Parse(["orders"]));
        var join = HeartbeatOf(member);
        Assert.Equal((0, "orders", "uniform"), (join.MemberEpoch, Assert.Single(join.SubscribedTopicNames!), join.ServerAssignor));
        Assert.Empty(join.OwnedPartitions!);
        member.OnAnswer(join, Answer(member, 1, ("orders", 0), ("orders", 1)));
        Assert.Equal((1, true), (member.Epoch, member.HasJoined));
        Assert.Equal([P("orders", 0), P("orders", 1)], member.Target!.OrderBy(p => p.Partition));
        var wait = Next(member);
        Assert.Equal((MemberStepKind.Wait, Interval), (wait.Kind, wait.WaitMs));
    }

    [Fact]
    public void HeartbeatsFollowTheIntervalAndSendTheSubscriptionOnlyWhenItChanged()
    {
        var member = Joined(("orders", 0));
        _time.Advance(TimeSpan.FromMilliseconds(Interval));
        var beat = HeartbeatOf(member);
        Assert.Equal((1, null, null), (beat.MemberEpoch, beat.SubscribedTopicNames, beat.ServerAssignor));
        member.OnAnswer(beat, Answer(member, 1));
        member.Subscribe(TopicSubscription.Parse(["orders", "payments"]));
        var changed = HeartbeatOf(member);
        Assert.Equal(["orders", "payments"], changed.SubscribedTopicNames);
    }

    [Fact]
    public void RevokedPartitionsAreReportedOwnedUntilTheConsumerLetThemGo()
    {
        var member = Joined(("orders", 0), ("orders", 1));
        member.Reconciled([P("orders", 0), P("orders", 1)]);
        var beat = HeartbeatOf(member);
        // The group takes partition 1 away: it stays owned until the consuming thread has revoked it.
        member.OnAnswer(beat, Answer(member, 1, ("orders", 0)));
        Assert.Equal([P("orders", 0)], member.Target!);
        _time.Advance(TimeSpan.FromMilliseconds(Interval));
        var before = HeartbeatOf(member);
        Assert.Equal(2, before.OwnedPartitions!.Count);
        member.OnAnswer(before, Answer(member, 1));
        member.Reconciled([P("orders", 0)]);
        // The revocation is reported at once, not at the next interval; then the group gives the new epoch.
        var after = HeartbeatOf(member);
        Assert.Equal([new Grains.TopicPartition("orders", 0)], after.OwnedPartitions);
        member.OnAnswer(after, Answer(member, 2, ("orders", 0)));
        Assert.Equal(2, member.Epoch);
    }

    [Fact]
    public void AFencedMemberLosesItsPartitionsAndRejoinsWithEpochZeroOnlyAfterLettingThemGo()
    {
        var member = Joined(("orders", 0));
        var id = member.MemberId;
        member.Reconciled([P("orders", 0)]);
        var beat = HeartbeatOf(member);
        member.OnAnswer(beat, Failure(ErrorCode.FencedMemberEpoch));
        Assert.True(member.TryTakeChange(out var change));
        Assert.IsType<PartitionsLost>(change);
        Assert.Equal((0, true, null), (member.Epoch, member.AwaitingRelease, member.Target));
        Assert.Equal((MemberStepKind.Wait, -1L), (Next(member).Kind, Next(member).WaitMs));
        member.Reconciled([]);
        var rejoin = HeartbeatOf(member);
        Assert.Equal((id, 0, "orders"), (rejoin.MemberId, rejoin.MemberEpoch, Assert.Single(rejoin.SubscribedTopicNames!)));
    }

    [Fact]
    public void AFencedMemberWithoutPartitionsRejoinsAtOnce()
    {
        var member = Joined();
        _time.Advance(TimeSpan.FromMilliseconds(Interval));
        member.OnAnswer(HeartbeatOf(member), Failure(ErrorCode.UnknownMemberId));
        Assert.False(member.TryTakeChange(out _));
        Assert.Equal(0, HeartbeatOf(member).MemberEpoch);
    }

    [Fact]
    public void NoAnswerForTheSessionTimeoutLosesThePartitions()
    {
        var member = Joined(("orders", 0));
        member.Reconciled([P("orders", 0)]);
        var elapsed = 0;
        while (elapsed <= 46_000)
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
            // Retries come every retry.backoff.ms; the session deadline bounds every wait.
            Assert.InRange(step.WaitMs, 0, 45_001);
            _time.Advance(TimeSpan.FromMilliseconds(step.WaitMs));
            elapsed += (int)step.WaitMs;
        }
        Assert.True(member.TryTakeChange(out var change));
        Assert.Contains("session.timeout.ms", Assert.IsType<PartitionsLost>(change).Reason);
        Assert.InRange(elapsed, 45_000, 45_200);
    }

    [Fact]
    public void RetriableErrorsRetryAfterTheBackoffAndSendEveryFieldAgain()
    {
        var member = Joined();
        _time.Advance(TimeSpan.FromMilliseconds(Interval));
        member.OnAnswer(HeartbeatOf(member), Failure(ErrorCode.CoordinatorNotAvailable));
        Assert.Equal(100, Next(member).WaitMs);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(["orders"], HeartbeatOf(member).SubscribedTopicNames);
    }

    [Fact]
    public void AMemberNotPollingWithinMaxPollIntervalLeavesAndRejoinsAfterTheNextConsume()
    {
        var member = Joined(("orders", 0));
        member.Reconciled([P("orders", 0)]);
        member.OnAnswer(HeartbeatOf(member), Answer(member, 1));
        _polling = false;
        var lastPoll = Clock().NowMs;
        MemberStep step;
        do
        {
            step = member.Next(false, lastPoll);
            if (step.Kind == MemberStepKind.Send)
            {
                member.OnAnswer(step.Call!, Answer(member, 1));
            }
            else if (step.Kind == MemberStepKind.Wait)
            {
                _time.Advance(TimeSpan.FromMilliseconds(step.WaitMs));
            }
        }
        while (step.Kind != MemberStepKind.Leave);
        Assert.Equal(GroupHeartbeatRequest.LeaveEpoch, Assert.IsType<HeartbeatCall>(step.Call).Request.MemberEpoch);
        Assert.True(member.TryTakeChange(out var change));
        Assert.Contains("max.poll.interval.ms", Assert.IsType<PartitionsLost>(change).Reason);
        Assert.Equal(MemberStepKind.Wait, member.Next(true, Clock().NowMs).Kind);
        member.Reconciled([]);
        Assert.Equal(0, Assert.IsType<HeartbeatCall>(member.Next(true, Clock().NowMs).Call).Request.MemberEpoch);
    }

    [Fact]
    public void AStaticMemberLeavesWithEpochMinusTwoAndRejoinsUnderItsInstanceId()
    {
        var member = Joined(new ConsumerConfig { GroupId = "g", GroupInstanceId = "host-1", GroupRemoteAssignor = "uniform" }, ("orders", 0));
        var leave = Assert.IsType<HeartbeatCall>(member.Leave()).Request;
        Assert.Equal((GroupHeartbeatRequest.StaticLeaveEpoch, "host-1"), (leave.MemberEpoch, leave.GroupInstanceId));
        Assert.False(member.IsSubscribed);
        member.Subscribe(TopicSubscription.Parse(["orders"]));
        var rejoin = HeartbeatOf(member);
        Assert.Equal((0, "host-1"), (rejoin.MemberEpoch, rejoin.GroupInstanceId));
    }

    [Fact]
    public void LeavingBeforeAnyJoinSendsNothing()
    {
        var member = Member();
        member.Subscribe(TopicSubscription.Parse(["orders"]));
        Assert.Null(member.Leave());
    }

    [Fact]
    public void ARefusalEndsTheMembershipWithItsError()
    {
        var member = Joined(("orders", 0));
        member.OnRefused(new KafkaException(ErrorCode.GroupIdNotFound, "wrong dialect"));
        Assert.True(member.TryTakeChange(out var change));
        Assert.Equal(ErrorCode.GroupIdNotFound, Assert.IsType<MembershipFailed>(change).Error.Code);
        Assert.True(member.AwaitingRelease);
    }

    [Fact]
    public void ARegularExpressionIsClearedWhenNamesReplaceIt()
    {
        var member = Member();
        member.Subscribe(TopicSubscription.Parse(["^orders-.*"]));
        var join = HeartbeatOf(member);
        Assert.NotNull(join.SubscribedTopicRegex);
        member.OnAnswer(join, Answer(member, 1));
        member.Subscribe(TopicSubscription.Parse(["payments"]));
        var change = HeartbeatOf(member);
        Assert.Equal(("", "payments"), (change.SubscribedTopicRegex, Assert.Single(change.SubscribedTopicNames!)));
    }

    private GroupMember Member(ConsumerConfig? config = null) =>
        new(new ConsumerSettings(config ?? new ConsumerConfig { GroupId = "g", GroupRemoteAssignor = "uniform" }), Clock(), "host");

    private Clock? _clock;

    private Clock Clock() => _clock ??= new Clock(_time);

    private GroupMember Joined(params (string Topic, int Partition)[] assignment) => Joined(null, assignment);

    private GroupMember Joined(ConsumerConfig? config, params (string Topic, int Partition)[] assignment)
    {
        var member = Member(config);
        member.Subscribe(TopicSubscription.Parse(["orders"]));
        member.OnAnswer(HeartbeatOf(member), Answer(member, 1, assignment));
        return member;
    }

    private MemberStep Next(GroupMember member) => member.Next(_polling, Clock().NowMs);

    private GroupHeartbeatRequest HeartbeatOf(GroupMember member)
    {
        var step = Next(member);
        Assert.Equal(MemberStepKind.Send, step.Kind);
        return Assert.IsType<HeartbeatCall>(step.Call).Request;
    }

    private static GroupHeartbeatResponse Answer(GroupMember member, int epoch, params (string Topic, int Partition)[] assignment) =>
        new(ErrorCode.None, null, member.MemberId, epoch, Interval,
            assignment.Length == 0 && epoch > 0 ? null : [.. assignment.Select(a => new Grains.TopicPartition(a.Topic, a.Partition))]);

    private static GroupHeartbeatResponse Failure(ErrorCode error) => new(error, "test", "", 0, 0, null);

    private static TopicPartition P(string topic, int partition) => new(topic, partition);
}
