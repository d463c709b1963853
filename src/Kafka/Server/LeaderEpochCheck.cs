namespace Orlog.Kafka.Server;

/// <summary>
/// A client's current_leader_epoch against the leader epoch this broker knows (KIP-320): an older one is
/// FENCED_LEADER_EPOCH (the client's metadata is stale), a newer one UNKNOWN_LEADER_EPOCH (this broker's is);
/// -1 skips the check.
/// </summary>
internal static class LeaderEpochCheck
{
    public static (ErrorCode Code, string Message)? Check(KafkaPartitionView? partition, string topic, int requestedEpoch)
    {
        if (partition is null || requestedEpoch < 0 || requestedEpoch == partition.LeaderEpoch)
        {
            return null;
        }
        return requestedEpoch < partition.LeaderEpoch
            ? (ErrorCode.FencedLeaderEpoch, $"{topic}-{partition.Partition}: leader epoch {requestedEpoch} is older than the current {partition.LeaderEpoch}; refresh the metadata.")
            : (ErrorCode.UnknownLeaderEpoch, $"{topic}-{partition.Partition}: leader epoch {requestedEpoch} is newer than the {partition.LeaderEpoch} this broker knows.");
    }
}
