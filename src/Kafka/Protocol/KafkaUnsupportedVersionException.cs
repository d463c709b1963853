namespace Orlog.Kafka.Protocol;

/// <summary>
/// A message that cannot be read or written in the version asked for: the version is outside the API's, or
/// a field holds a value (or null) that the version cannot carry and that Kafka would not drop silently.
/// Kafka's UNSUPPORTED_VERSION (35).
/// </summary>
public sealed class KafkaUnsupportedVersionException : KafkaException
{
    public KafkaUnsupportedVersionException(string detail)
        : base(ErrorCode.UnsupportedVersion, detail)
    {
    }

    public static KafkaUnsupportedVersionException CannotRead(string message, short version) =>
        new($"{message} version {version} is not supported; check the API's versions before reading.");

    public static KafkaUnsupportedVersionException CannotWrite(string message, short version) =>
        new($"{message} version {version} is not supported; write a version the peer advertised.");

    public static KafkaUnsupportedVersionException FieldNotInVersion(string message, string field, short version) =>
        new($"{message}.{field} is set, but version {version} has no such field; leave it at its default or use a version that has it.");

    public static KafkaUnsupportedVersionException NullNotAllowed(string message, string field, short version) =>
        new($"{message}.{field} is null, which version {version} cannot carry; set a value.");
}
