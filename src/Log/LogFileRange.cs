namespace Orlog.Log;

/// <summary>
/// Where whole record batches lie in a segment file, for a reader that sends them from the file itself (zero
/// copy) instead of reading them: the file, the byte position and the length, with the log's bounds at the time.
/// </summary>
/// <param name="Path">The segment file; null when there is nothing to read.</param>
/// <param name="Position">The first batch's byte position in the file.</param>
/// <param name="Length">The bytes of whole batches from there; 0 when there is nothing to read.</param>
/// <param name="LogStartOffset">The log start offset.</param>
/// <param name="LogEndOffset">The log end offset.</param>
/// <param name="NextOffset">The offset after the last batch of the range (where the next read starts); the offset asked when the range is empty.</param>
/// <remarks>
/// The bytes stay valid as long as the batches are below the high watermark: segments are only appended to,
/// and retention deletes whole files (an open handle still reads a deleted file).
/// </remarks>
public readonly record struct LogFileRange(string? Path, long Position, int Length, long LogStartOffset, long LogEndOffset, long NextOffset);
