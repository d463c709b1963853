namespace Orlog.Client;

/// <summary>Kafka's names for error codes and which ones a client may retry.</summary>
public static class ErrorCodeExtensions
{
    // Each code's first name in ErrorCode's declaration, Kafka's; Confluent.Kafka's names for the same codes come after.
    private static readonly Dictionary<ErrorCode, string> _names = KafkaNames();

    /// <summary>
    /// Kafka's upper-snake name of the error, as its documentation spells it (OFFSET_OUT_OF_RANGE); librdkafka's for a
    /// local error (_QUEUE_FULL).
    /// </summary>
    public static string KafkaName(this ErrorCode code) => _names.TryGetValue(code, out var name) ? name : ((short)code).ToString(System.Globalization.CultureInfo.InvariantCulture);

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

    private static Dictionary<ErrorCode, string> KafkaNames()
    {
        var names = new Dictionary<ErrorCode, string>();
        foreach (var field in typeof(ErrorCode).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
        {
            var code = (ErrorCode)field.GetValue(null)!;
            if (names.ContainsKey(code))
            {
                continue;
            }
            names[code] = code switch
            {
                ErrorCode.InvalidTopicException => "INVALID_TOPIC_EXCEPTION",
                ErrorCode.UnknownServerError => "UNKNOWN_SERVER_ERROR",
                _ when field.Name.StartsWith("Local_", StringComparison.Ordinal) => "_" + ToUpperSnake(field.Name["Local_".Length..]),
                _ => ToUpperSnake(field.Name),
            };
        }
        return names;
    }

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
