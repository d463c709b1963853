namespace Orlog.Client;

/// <summary>
/// The errors after which a client asks for fresh metadata before it retries, as Kafka's clients do: the
/// partition's leader moved (NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH, LEADER_NOT_AVAILABLE), the topic
/// changed (UNKNOWN_TOPIC_OR_PARTITION, UNKNOWN_TOPIC_ID), or the broker could not be reached (NETWORK_EXCEPTION:
/// its silo may be gone, and another broker leads now).
/// </summary>
internal static class MetadataRefresh
{
    public static bool IsNeededAfter(ErrorCode code) => code is ErrorCode.UnknownTopicOrPartition or ErrorCode.UnknownTopicId
        or ErrorCode.NotLeaderOrFollower or ErrorCode.LeaderNotAvailable or ErrorCode.FencedLeaderEpoch or ErrorCode.NetworkException;
}
