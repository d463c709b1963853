namespace Orlog.Log;

/// <summary>Whole record batches read from a log, raw, with the log's bounds at the time of the read.</summary>
/// <param name="Records">Batches back to back, exactly as stored; empty at the end of the log.</param>
/// <param name="LogStartOffset">The log start offset.</param>
/// <param name="LogEndOffset">The log end offset.</param>
public readonly record struct LogReadResult(byte[] Records, long LogStartOffset, long LogEndOffset);
