using System.Buffers.Binary;

namespace Orlog.Benchmarks.Compare;

/// <summary>
/// The same records for every peer: values of a fixed size filled with fixed random bytes, keys "key-0".."key-999"
/// (when keyed). For latency runs the first 8 bytes of a value carry the send time (Stopwatch ticks of this process),
/// which the reader subtracts from its own clock: one process, one clock.
/// </summary>
internal sealed class RecordGenerator
{
    public const int KeyCount = 1000;

    private readonly byte[][] _keys;

    public RecordGenerator(int valueBytes, int seed = 7)
    {
        ValueBytes = valueBytes;
        Value = new byte[valueBytes];
        new Random(seed).NextBytes(Value);
        _keys = new byte[KeyCount][];
        for (var i = 0; i < KeyCount; i++)
        {
            _keys[i] = System.Text.Encoding.ASCII.GetBytes($"key-{i}");
        }
    }

    public int ValueBytes { get; }

    /// <summary>The value every record carries (shared, never changed after construction).</summary>
    public byte[] Value { get; }

    /// <summary>The key of record <paramref name="index"/> of a producer.</summary>
    public byte[] Key(long index) => _keys[index % KeyCount];

    /// <summary>A fresh value stamped with the current time, for latency runs.</summary>
    public byte[] StampedValue()
    {
        var value = (byte[])Value.Clone();
        BinaryPrimitives.WriteInt64LittleEndian(value, System.Diagnostics.Stopwatch.GetTimestamp());
        return value;
    }

    /// <summary>Milliseconds since the time stamped into <paramref name="value"/>.</summary>
    public static double AgeMs(ReadOnlySpan<byte> value) =>
        System.Diagnostics.Stopwatch.GetElapsedTime(BinaryPrimitives.ReadInt64LittleEndian(value)).TotalMilliseconds;
}
