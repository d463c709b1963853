namespace Orlog.Client;

/// <summary>
/// An operation refused with one of Kafka's error codes, as Confluent.Kafka's KafkaException: its <see cref="Error"/>
/// carries the code, the reason and whether it is fatal. The message starts with Kafka's name of the error (for example
/// <c>OFFSET_OUT_OF_RANGE</c>) and says what went wrong and what to do about it. Defined with the record codec, in
/// the SDK's namespace, so the silo and the clients throw the same exception.
/// </summary>
public class KafkaException : Exception
{
    public KafkaException(ErrorCode code, string detail)
        : this(new Error(code, detail))
    {
    }

    public KafkaException(ErrorCode code, string detail, Exception innerException)
        : this(new Error(code, detail), innerException)
    {
    }

    /// <summary>An exception for <paramref name="code"/> with Kafka's name of it as the reason.</summary>
    public KafkaException(ErrorCode code)
        : this(new Error(code))
    {
    }

    public KafkaException(Error error)
        : base(Describe(error))
    {
        Error = error;
    }

    public KafkaException(Error error, Exception? innerException)
        : base(Describe(error), innerException)
    {
        Error = error;
    }

    /// <summary>The error: its code, its reason and whether it is fatal.</summary>
    public Error Error { get; }

    /// <summary>Kafka's error code.</summary>
    public ErrorCode Code => Error.Code;

    /// <summary>The message without the error's name: what went wrong and what to do.</summary>
    public string Detail => Error.Reason;

    /// <summary>True when Kafka marks the error retriable.</summary>
    public bool IsRetriable => Code.IsRetriable();

    private static string Describe(Error error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return $"{error.Code.KafkaName()}: {error.Reason}";
    }
}
