using Orlog.Grains.Tests.Groups.Classic;

namespace Orlog.Grains.Tests.Groups.ClassicGrain;

/// <summary>What a <see cref="ClassicGrainConsumer"/> is at one moment.</summary>
/// <param name="Name">The consumer's name (its client id).</param>
/// <param name="MemberId">Its member id ("" before it has one).</param>
/// <param name="Generation">The generation of its last successful join (-1 when none).</param>
/// <param name="OwnedGeneration">The generation whose SyncGroup gave it <paramref name="Owned"/> (-1 when none).</param>
/// <param name="Owned">The partitions it consumes now.</param>
/// <param name="IsStable">Running, synced, with no rejoin pending.</param>
/// <param name="Joins">How many JoinGroup calls succeeded (the rebalances it took part in, and returns).</param>
/// <param name="Leads">It was the leader at its last join.</param>
/// <param name="SkippedAssignment">Its last join made it the leader of a generation already assigned (a static leader's return).</param>
internal sealed record ConsumerSnapshot(
    string Name, string MemberId, int Generation, int OwnedGeneration, IReadOnlySet<TopicPartition> Owned, bool IsStable, int Joins, bool Leads, bool SkippedAssignment)
{
    public override string ToString() =>
        $"{Name} member={MemberId} gen={Generation} owned@{OwnedGeneration}=[{string.Join(",", Owned.Order(PartitionOrder.Instance).Select(p => p.Partition))}] " +
        $"joins={Joins}{(Leads ? " leader" : "")}{(IsStable ? " stable" : "")}";
}
