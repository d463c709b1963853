namespace Orlog.Records;

/// <summary>
/// An operation refused with one of Kafka's error codes. The message starts with Kafka's name of the
/// error (for example <c>OFFSET_OUT_OF_RANGE</c>) and says what went wrong and what to do about it.
/// </summary>
public class KafkaException : Exception
{
    public KafkaException(ErrorCode code, string message)
        : base($"{code.KafkaName()}: {message}")
    {
        Code = code;
    }

    public KafkaException(ErrorCode code, string message, Exception innerException)
        : base($"{code.KafkaName()}: {message}", innerException)
    {
        Code = code;
    }

    /// <summary>Kafka's error code.</summary>
    public ErrorCode Code { get; }

    /// <summary>True when Kafka marks the error retriable.</summary>
    public bool IsRetriable => Code.IsRetriable();
}
