using System.Buffers.Binary;
using Orlog.Log.Storage;
using Orlog.Records;

namespace Orlog.Log.Producers;

/// <summary>
/// Producer-state snapshot files, <c>&lt;offset:D20&gt;.snapshot</c>: the state of every producer as of
/// that offset, written at each segment roll and at a clean close, so that idempotence survives a
/// restart and the deletion of the segments that held a producer's last batches.
/// <para>Format (Orlog's own, big-endian): int16 version (1), uint32 CRC-32C of everything after it,
/// int32 producer count, then per producer: int64 producer id, int16 epoch, int64 last append time,
/// int32 batch count, and per batch int32 first sequence, int32 last sequence, int64 first offset,
/// int64 last offset.</para>
/// </summary>
public static class ProducerSnapshot
{
    public const short Version = 1;
    private const int HeaderSize = 2 + 4 + 4;
    private const int ProducerSize = 8 + 2 + 8 + 4;
    private const int BatchSize = 4 + 4 + 8 + 8;

    public static byte[] Serialize(ProducerStateManager state)
    {
        var size = HeaderSize;
        foreach (var entry in state.Producers)
        {
            size += ProducerSize + (entry.BatchCount * BatchSize);
        }
        var bytes = new byte[size];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteInt16BigEndian(span, Version);
        BinaryPrimitives.WriteInt32BigEndian(span[6..], state.Count);
        var at = HeaderSize;
        foreach (var entry in state.Producers)
        {
            BinaryPrimitives.WriteInt64BigEndian(span[at..], entry.ProducerId);
            BinaryPrimitives.WriteInt16BigEndian(span[(at + 8)..], entry.ProducerEpoch);
            BinaryPrimitives.WriteInt64BigEndian(span[(at + 10)..], entry.LastAppendTime);
            BinaryPrimitives.WriteInt32BigEndian(span[(at + 18)..], entry.BatchCount);
            at += ProducerSize;
            for (var i = 0; i < entry.BatchCount; i++)
            {
                var batch = entry.Batch(i);
                BinaryPrimitives.WriteInt32BigEndian(span[at..], batch.FirstSequence);
                BinaryPrimitives.WriteInt32BigEndian(span[(at + 4)..], batch.LastSequence);
                BinaryPrimitives.WriteInt64BigEndian(span[(at + 8)..], batch.FirstOffset);
                BinaryPrimitives.WriteInt64BigEndian(span[(at + 16)..], batch.LastOffset);
                at += BatchSize;
            }
        }
        BinaryPrimitives.WriteUInt32BigEndian(span[2..], Crc32C.Compute(span[6..]));
        return bytes;
    }

    /// <summary>Reads a snapshot into <paramref name="state"/>; false (state untouched) when the file is damaged.</summary>
    public static bool TryDeserialize(ReadOnlySpan<byte> bytes, ProducerStateManager state)
    {
        if (bytes.Length < HeaderSize
            || BinaryPrimitives.ReadInt16BigEndian(bytes) != Version
            || BinaryPrimitives.ReadUInt32BigEndian(bytes[2..]) != Crc32C.Compute(bytes[6..]))
        {
            return false;
        }
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes[6..]);
        var entries = new List<ProducerStateEntry>(Math.Max(0, Math.Min(count, 1 << 16)));
        var at = HeaderSize;
        for (var p = 0; p < count; p++)
        {
            if (bytes.Length - at < ProducerSize)
            {
                return false;
            }
            var entry = new ProducerStateEntry(BinaryPrimitives.ReadInt64BigEndian(bytes[at..]), BinaryPrimitives.ReadInt16BigEndian(bytes[(at + 8)..]))
            {
                LastAppendTime = BinaryPrimitives.ReadInt64BigEndian(bytes[(at + 10)..]),
            };
            var batches = BinaryPrimitives.ReadInt32BigEndian(bytes[(at + 18)..]);
            at += ProducerSize;
            if (batches < 0 || batches > ProducerStateEntry.MaxBatches || bytes.Length - at < batches * BatchSize)
            {
                return false;
            }
            for (var i = 0; i < batches; i++)
            {
                entry.Add(entry.ProducerEpoch, new ProducerBatch(
                    BinaryPrimitives.ReadInt32BigEndian(bytes[at..]),
                    BinaryPrimitives.ReadInt32BigEndian(bytes[(at + 4)..]),
                    BinaryPrimitives.ReadInt64BigEndian(bytes[(at + 8)..]),
                    BinaryPrimitives.ReadInt64BigEndian(bytes[(at + 16)..])));
                at += BatchSize;
            }
            entries.Add(entry);
        }
        state.Clear();
        entries.ForEach(state.Add);
        return true;
    }

    /// <summary>The offsets of the snapshot files in a partition directory, ascending.</summary>
    public static List<long> List(IFileSystem fileSystem, string directory)
    {
        var offsets = new List<long>();
        foreach (var name in fileSystem.ListFiles(directory))
        {
            if (LogFileNames.TryParseOffsetFile(name, LogFileNames.SnapshotSuffix, out var offset))
            {
                offsets.Add(offset);
            }
        }
        offsets.Sort();
        return offsets;
    }
}
