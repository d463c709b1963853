namespace Orlog.Client;

/// <summary>What a batch's timestamps mean: bit 3 of its attributes (message.timestamp.type).</summary>
public enum TimestampType : byte
{
    /// <summary>Set by the producer.</summary>
    CreateTime = 0,

    /// <summary>Set by the broker when it appended the batch.</summary>
    LogAppendTime = 1,
}
