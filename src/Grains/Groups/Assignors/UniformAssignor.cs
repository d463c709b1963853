namespace Orlog.Grains.Groups.Assignors;

/// <summary>
/// Kafka's "uniform" server-side assignor: balanced and sticky. When every member subscribes to the
/// same topics, each gets the floor or the ceiling of partitions / members and keeps as many of its
/// current partitions as that allows, so a join or a leave moves the fewest partitions possible.
/// Otherwise partitions go greedily to the least-loaded subscriber and are then moved, one at a time,
/// from a member to a subscriber of that topic with at least two fewer, until no such move is left.
/// </summary>
internal sealed partial class UniformAssignor : IPartitionAssignor
{
    public const string AssignorName = "uniform";

    public string Name => AssignorName;

    public IReadOnlyDictionary<string, IReadOnlySet<TopicPartition>> Assign(IReadOnlyList<AssignmentMember> members, IReadOnlyDictionary<string, int> partitionCounts)
    {
        var spec = AssignmentSpec.Create(members, partitionCounts);
        var owner = new int[spec.PartitionCount];
        Array.Fill(owner, -1);
        if (spec.PartitionCount > 0)
        {
            if (IsHomogeneous(spec))
            {
                AssignHomogeneous(spec, owner);
            }
            else
            {
                AssignHeterogeneous(spec, owner);
            }
        }
        return spec.ToAssignment(owner);
    }

    private static bool IsHomogeneous(AssignmentSpec spec)
    {
        var first = spec.MemberTopics[0];
        for (var i = 1; i < spec.MemberTopics.Length; i++)
        {
            if (!first.AsSpan().SequenceEqual(spec.MemberTopics[i]))
            {
                return false;
            }
        }
        return true;
    }
}
