namespace Orlog.Client;

/// <summary>
/// The outcome of an operation as Kafka's error code and a reason, as Confluent.Kafka's Error; <see cref="NoError"/>
/// for success. It converts to its <see cref="ErrorCode"/>, and to true when it is an error.
/// </summary>
public sealed class Error : IEquatable<Error>
{
    /// <summary>An error with Kafka's code and what went wrong.</summary>
    public Error(ErrorCode code, string reason)
        : this(code, reason, false)
    {
    }

    /// <summary>An error with Kafka's code, what went wrong, and whether the client can go on after it.</summary>
    public Error(ErrorCode code, string reason, bool isFatal)
    {
        Code = code;
        Reason = reason ?? code.KafkaName();
        IsFatal = isFatal;
    }

    /// <summary>An error whose reason is Kafka's name of the code.</summary>
    public Error(ErrorCode code)
        : this(code, code == ErrorCode.None ? "Success" : code.KafkaName(), false)
    {
    }

    /// <summary>A copy of <paramref name="error"/>.</summary>
    public Error(Error error)
        : this((error ?? throw new ArgumentNullException(nameof(error))).Code, error.Reason, error.IsFatal)
    {
    }

    /// <summary>Success.</summary>
    public static Error NoError { get; } = new(ErrorCode.None, "Success");

    /// <summary>Kafka's error code.</summary>
    public ErrorCode Code { get; }

    /// <summary>What went wrong and what to do about it.</summary>
    public string Reason { get; }

    /// <summary>True when the client cannot go on after this error (Orlog raises none yet).</summary>
    public bool IsFatal { get; }

    /// <summary>True unless <see cref="Code"/> is <see cref="ErrorCode.None"/>.</summary>
    public bool IsError => Code != ErrorCode.None;

    /// <summary>True for an error the client found itself (librdkafka's Local_ codes, below -100).</summary>
    public bool IsLocalError => (short)Code < -1;

    /// <summary>True for an error a broker answered with.</summary>
    public bool IsBrokerError => (short)Code > 0 || Code == ErrorCode.UnknownServerError;

    /// <summary>True when Kafka marks the error retriable.</summary>
    public bool IsRetriable => Code.IsRetriable();

    public static implicit operator ErrorCode(Error error) => (error ?? throw new ArgumentNullException(nameof(error))).Code;

    public static implicit operator Error(ErrorCode code) => new(code);

    public static implicit operator bool(Error error) => error is not null && error.IsError;

    public static bool operator ==(Error? a, Error? b) => a is null ? b is null : a.Equals(b);

    public static bool operator !=(Error? a, Error? b) => !(a == b);

    /// <summary>The error as an exception.</summary>
    public KafkaException ToException() => new(this);

    public bool Equals(Error? other) => other is not null && other.Code == Code;

    public override bool Equals(object? obj) => obj is Error other && Equals(other);

    public override int GetHashCode() => Code.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() => IsError ? $"{Code.KafkaName()}: {Reason}" : Reason;

    /// <summary>The error an exception stands for: its own for a <see cref="KafkaException"/>, else UNKNOWN_SERVER_ERROR with its message.</summary>
    public static Error From(Exception exception) => exception is KafkaException kafka
        ? kafka.Error
        : new Error(ErrorCode.UnknownServerError, (exception ?? throw new ArgumentNullException(nameof(exception))).Message);
}
