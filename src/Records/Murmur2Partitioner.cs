using System.Buffers.Binary;

namespace Orlog.Records;

/// <summary>
/// Kafka's default partitioner for keyed records: murmur2 (seed 0x9747b28c) of the key bytes, made
/// positive by masking the sign bit, modulo the partition count. Records with the same key land in the
/// same partition as they would with Kafka's own clients.
/// </summary>
public static class Murmur2Partitioner
{
    private const uint Seed = 0x9747b28c;
    private const uint M = 0x5bd1e995;
    private const int R = 24;

    public static int Partition(ReadOnlySpan<byte> key, int partitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        return (Hash(key) & 0x7fffffff) % partitionCount;
    }

    /// <summary>Kafka's murmur2 (its Utils.murmur2): 32-bit, little-endian blocks of four bytes.</summary>
    public static int Hash(ReadOnlySpan<byte> data)
    {
        var h = Seed ^ (uint)data.Length;
        var blocks = data.Length / 4;
        for (var i = 0; i < blocks; i++)
        {
            var k = BinaryPrimitives.ReadUInt32LittleEndian(data[(i * 4)..]);
            k *= M;
            k ^= k >> R;
            k *= M;
            h *= M;
            h ^= k;
        }
        var tail = data[(blocks * 4)..];
        switch (tail.Length)
        {
            case 3:
                h ^= (uint)tail[2] << 16;
                h ^= (uint)tail[1] << 8;
                h ^= tail[0];
                h *= M;
                break;
            case 2:
                h ^= (uint)tail[1] << 8;
                h ^= tail[0];
                h *= M;
                break;
            case 1:
                h ^= tail[0];
                h *= M;
                break;
        }
        h ^= h >> 13;
        h *= M;
        h ^= h >> 15;
        return (int)h;
    }
}
