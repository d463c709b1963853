namespace Orlog.Grains.Groups;

/// <summary>A group request refused with a Kafka error; the grain turns it into the response's error code.</summary>
internal sealed class GroupRequestException : Exception
{
    public GroupRequestException(ErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    public ErrorCode Code { get; }
}
