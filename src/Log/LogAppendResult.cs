namespace Orlog.Log;

/// <summary>Where an appended batch landed.</summary>
/// <param name="BaseOffset">The offset of the batch's first record.</param>
/// <param name="LastOffset">The offset of the batch's last record.</param>
/// <param name="LogAppendTime">The broker's timestamp for LogAppendTime topics; -1 for CreateTime.</param>
/// <param name="IsDuplicate">True when the batch was a retry of one already written: nothing was appended and the offsets are the original's.</param>
/// <param name="LogStartOffset">The log start offset when the batch was appended.</param>
public readonly record struct LogAppendResult(long BaseOffset, long LastOffset, long LogAppendTime, bool IsDuplicate, long LogStartOffset)
{
    public long NextOffset => LastOffset + 1;
}
