using Orlog.Records;

namespace Orlog.Client;

/// <summary>The outcome of an operation as Kafka's error code and a reason; <see cref="NoError"/> for success.</summary>
public sealed class Error
{
    /// <summary>An error with Kafka's code and what went wrong.</summary>
    public Error(ErrorCode code, string reason)
    {
        Code = code;
        Reason = reason;
    }

    /// <summary>Success.</summary>
    public static Error NoError { get; } = new(ErrorCode.None, "Success");

    /// <summary>Kafka's error code.</summary>
    public ErrorCode Code { get; }

    /// <summary>What went wrong and what to do about it.</summary>
    public string Reason { get; }

    /// <summary>True unless <see cref="Code"/> is <see cref="ErrorCode.None"/>.</summary>
    public bool IsError => Code != ErrorCode.None;

    /// <summary>True when Kafka marks the error retriable.</summary>
    public bool IsRetriable => Code.IsRetriable();

    /// <summary>The error as an exception.</summary>
    public KafkaException ToException() => new(Code, Reason);

    /// <inheritdoc/>
    public override string ToString() => IsError ? $"{Code.KafkaName()}: {Reason}" : Reason;

    internal static Error From(Exception exception) => exception is KafkaException kafka
        ? new Error(kafka.Code, kafka.Detail)
        : new Error(ErrorCode.UnknownServerError, exception.Message);
}
