namespace Orlog.Grains.Controller;

/// <summary>
/// What the controller made of one AlterPartition item: refused with an error; unchanged (the proposal is
/// the ISR already) with the partition as it is; or accepted, the partition changed in memory (to be
/// committed) with what it was before, for the log.
/// </summary>
public sealed record IsrDecision(ErrorCode Error, string? Message, PartitionMetadata? Current, PartitionRecord? Changed, PartitionMetadata? Before)
{
    public static IsrDecision Refused(ErrorCode error, string message) => new(error, message, null, null, null);

    public static IsrDecision Unchanged(PartitionRecord partition) => new(ErrorCode.None, null, partition.ToMetadata(), null, null);

    public static IsrDecision Accepted(PartitionRecord partition, PartitionMetadata before) => new(ErrorCode.None, null, null, partition, before);
}
