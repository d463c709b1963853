using Orlog.Grains.Tests.Groups;

namespace Orlog.Grains.Tests.Cluster;

/// <summary>A consumer group's coordinator whose silo stops comes back on another silo with its members.</summary>
[Collection(MultiBrokerCollection.Name)]
public sealed class CoordinatorMoveTests
{
    [Fact]
    public async Task MembersKeepTheirEpochsAndPartitionsWhenTheCoordinatorMovesToAnotherSilo()
    {
        await using var brokers = await MultiBrokerCluster.StartAsync(3);
        await brokers.CreateTopicAsync("events", 6);
        var group = brokers.Client.GetGrain<IConsumerGroupGrain>("billing");
        var a = new GroupMemberClient(group, "", ["events"]);
        var b = new GroupMemberClient(group, "", ["events"]);
        Assert.Equal(ErrorCode.None, (await a.JoinAsync()).Error);
        Assert.Equal(ErrorCode.None, (await b.JoinAsync()).Error);
        await Eventually.Async(async () =>
        {
            await a.HeartbeatAsync();
            await b.HeartbeatAsync();
            return a.Owned.Count == 3 && b.Owned.Count == 3;
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20), "for the group to settle");
        var before = await group.Describe();
        var (epochA, epochB) = (a.Epoch, b.Epoch);
        var (ownedA, ownedB) = (a.Owned.ToHashSet(), b.Owned.ToHashSet());

        // The coordinator's silo stops; the next call activates the group elsewhere, from the stored state.
        await brokers.Cluster.StopSiloAsync(brokers.Silo(before.Coordinator));
        var resumed = await a.HeartbeatAsync();
        Assert.Equal(ErrorCode.None, resumed.Error);
        Assert.Equal(ErrorCode.None, (await b.HeartbeatAsync()).Error);

        var after = await group.Describe();
        Assert.NotEqual(before.Coordinator, after.Coordinator);
        Assert.Equal((GroupStates.Stable, before.Epoch), (after.State, after.Epoch));
        Assert.Equal((epochA, epochB), (a.Epoch, b.Epoch));
        Assert.Equal(ownedA, a.Owned);
        Assert.Equal(ownedB, b.Owned);
        Assert.Equal(before.Members.Select(m => m.MemberId).Order(StringComparer.Ordinal), after.Members.Select(m => m.MemberId).Order(StringComparer.Ordinal));
    }
}
