namespace Orlog.Grains.Controller;

/// <summary>
/// What the controller made of one reassignment request: refused with an error; unchanged (the partition
/// already has the target replicas) with the partition as it is; or accepted, the partition changed in memory
/// (to be committed) with what it was before, for the log.
/// </summary>
public sealed record ReassignmentDecision(ErrorCode Error, string? Message, PartitionRecord? Partition, PartitionMetadata? Before)
{
    public static ReassignmentDecision Refused(ErrorCode error, string message) => new(error, message, null, null);

    public static ReassignmentDecision Unchanged(PartitionRecord partition) => new(ErrorCode.None, null, partition, null);

    public static ReassignmentDecision Accepted(PartitionRecord partition, PartitionMetadata before) => new(ErrorCode.None, null, partition, before);

    /// <summary>True when the partition changed and must be committed.</summary>
    public bool Changed => Before is not null;
}
