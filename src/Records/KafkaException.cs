namespace Orlog.Records;

/// <summary>
/// An operation refused with one of Kafka's error codes. The message starts with Kafka's name of the
/// error (for example <c>OFFSET_OUT_OF_RANGE</c>) and says what went wrong and what to do about it.
/// </summary>
public class KafkaException : Exception
{
    public KafkaException(ErrorCode code, string detail)
        : base($"{code.KafkaName()}: {detail}")
    {
        Code = code;
        Detail = detail;
    }

    public KafkaException(ErrorCode code, string detail, Exception innerException)
        : base($"{code.KafkaName()}: {detail}", innerException)
    {
        Code = code;
        Detail = detail;
    }

    /// <summary>Kafka's error code.</summary>
    public ErrorCode Code { get; }

    /// <summary>The message without the error's name: what went wrong and what to do.</summary>
    public string Detail { get; }

    /// <summary>True when Kafka marks the error retriable.</summary>
    public bool IsRetriable => Code.IsRetriable();
}
