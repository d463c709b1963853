using System.Buffers.Binary;
using System.Numerics;

namespace Orlog.Records;

/// <summary>
/// CRC-32C (Castagnoli), as Kafka's RecordBatch v2 uses it, on the BCL's hardware intrinsic
/// (<see cref="BitOperations.Crc32C(uint, ulong)"/>: SSE 4.2 on x64, CRC32 on Arm64).
/// </summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(uint.MaxValue, data);

    /// <summary>Continues a running CRC (pass the raw, non-inverted state; start with uint.MaxValue).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        if (data.Length >= 4)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt32LittleEndian(data));
            data = data[4..];
        }
        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }
        return crc;
    }
}
