namespace Orlog.Kafka.Protocol;

/// <summary>
/// A frame that does not follow Kafka's wire format: it ends inside a value, a length is negative (other than
/// -1 for null) or runs past the end, a varint is longer than 5 bytes, a field that cannot be null is null.
/// A broker answers nothing to such a frame and closes the connection, as Kafka does.
/// </summary>
public sealed class KafkaProtocolException : Exception
{
    public KafkaProtocolException(string message, int position)
        : base($"Malformed Kafka frame at byte {position}: {message}")
    {
        Position = position;
    }

    public KafkaProtocolException(string message)
        : base(message)
    {
        Position = -1;
    }

    /// <summary>The offset in the frame where reading failed, or -1 when writing failed.</summary>
    public int Position { get; }
}
