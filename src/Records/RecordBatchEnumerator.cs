using System.Runtime.InteropServices;

namespace Orlog.Records;

/// <summary>
/// Walks the batches lying back to back in a buffer (a log segment, a fetch response) by their length
/// fields only, and stops cleanly before a partial trailing batch (a Kafka fetch response may end with
/// one; a log may end with a torn write). It checks nothing else: validate or read each batch it yields.
/// <code>
/// var batches = new RecordBatchEnumerator(buffer);
/// while (batches.MoveNext()) { ... batches.Current ... }
/// // batches.Position: where the partial tail (or the end) starts
/// </code>
/// <c>foreach</c> works too, on a copy (so <see cref="Position"/> of the original does not move):
/// <code>
/// foreach (var batch in new RecordBatchEnumerator(buffer)) { ... }
/// </code>
/// </summary>
[StructLayout(LayoutKind.Auto)]
public ref struct RecordBatchEnumerator
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _next;

    public RecordBatchEnumerator(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        CurrentStart = -1;
    }

    /// <summary>The current batch, exactly its bytes.</summary>
    public ReadOnlySpan<byte> Current { get; private set; }

    /// <summary>Where <see cref="Current"/> starts in the buffer (to slice a Memory or array the same way).</summary>
    public int CurrentStart { get; private set; }

    /// <summary>Bytes of the complete batches yielded so far: where the next batch, or the partial tail, starts.</summary>
    public readonly int Position => _next;

    /// <summary>True once enumeration stopped with bytes left that do not make a whole batch.</summary>
    public readonly bool HasPartialTail => _next < _buffer.Length && !HasNextBatch(_buffer[_next..]);

    public readonly RecordBatchEnumerator GetEnumerator() => this;

    /// <summary>Moves to the next whole batch; false at the end or before a partial batch.</summary>
    /// <exception cref="KafkaException">CORRUPT_MESSAGE when a batch length is smaller than the v2 header, which no
    /// amount of further data would fix.</exception>
    public bool MoveNext()
    {
        var rest = _buffer[_next..];
        if (rest.Length < RecordBatchHeader.LogOverhead)
        {
            return false;
        }
        var batchLength = RecordBatchHeader.ReadBatchLength(rest);
        if (batchLength < RecordBatchChecks.MinBatchLength)
        {
            RecordBatchChecks.ThrowCorrupt($"the batch at byte {_next} has batchLength {batchLength}, smaller than the {RecordBatchChecks.MinBatchLength} header bytes it must count");
        }
        var size = (long)batchLength + RecordBatchHeader.LogOverhead;
        if (size > rest.Length)
        {
            return false;
        }
        CurrentStart = _next;
        Current = rest[..(int)size];
        _next += (int)size;
        return true;
    }

    private static bool HasNextBatch(ReadOnlySpan<byte> rest) =>
        rest.Length >= RecordBatchHeader.LogOverhead
        && RecordBatchHeader.ReadBatchLength(rest) is var length
        && length >= RecordBatchChecks.MinBatchLength
        && (long)length + RecordBatchHeader.LogOverhead <= rest.Length;
}
