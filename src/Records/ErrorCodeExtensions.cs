namespace Orlog.Records;

/// <summary>Kafka's names for error codes and which ones a client may retry.</summary>
public static class ErrorCodeExtensions
{
    /// <summary>Kafka's upper-snake name of the error, as its documentation spells it (OFFSET_OUT_OF_RANGE).</summary>
    public static string KafkaName(this ErrorCode code) => code switch
    {
        ErrorCode.InvalidTopicException => "INVALID_TOPIC_EXCEPTION",
        ErrorCode.UnknownServerError => "UNKNOWN_SERVER_ERROR",
        _ => ToUpperSnake(code.ToString()),
    };

    /// <summary>True for errors that Kafka marks retriable: the same request may succeed later.</summary>
    public static bool IsRetriable(this ErrorCode code) => code switch
    {
        ErrorCode.CorruptMessage => true,
        ErrorCode.UnknownTopicOrPartition => true,
        ErrorCode.UnknownTopicId => true,
        ErrorCode.LeaderNotAvailable => true,
        ErrorCode.NotLeaderOrFollower => true,
        ErrorCode.ReplicaNotAvailable => true,
        ErrorCode.RequestTimedOut => true,
        ErrorCode.NetworkException => true,
        ErrorCode.CoordinatorLoadInProgress => true,
        ErrorCode.CoordinatorNotAvailable => true,
        ErrorCode.NotCoordinator => true,
        ErrorCode.NotEnoughReplicas => true,
        ErrorCode.NotEnoughReplicasAfterAppend => true,
        ErrorCode.ConcurrentTransactions => true,
        ErrorCode.KafkaStorageError => true,
        ErrorCode.FencedLeaderEpoch => true,
        ErrorCode.UnknownLeaderEpoch => true,
        ErrorCode.OffsetNotAvailable => true,
        ErrorCode.PreferredLeaderNotAvailable => true,
        ErrorCode.UnstableOffsetCommit => true,
        _ => false,
    };

    private static string ToUpperSnake(string pascal)
    {
        var builder = new System.Text.StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0)
            {
                builder.Append('_');
            }
            builder.Append(char.ToUpperInvariant(c));
        }
        return builder.ToString();
    }
}
