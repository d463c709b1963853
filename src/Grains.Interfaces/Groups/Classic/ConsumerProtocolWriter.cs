using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Orlog.Grains.Groups.Classic;

/// <summary>Writes Kafka's non-flexible primitives (big-endian, int16-prefixed strings, int32-prefixed bytes and arrays).</summary>
internal sealed class ConsumerProtocolWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64);

    public void WriteInt16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
    }

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteNullableString(string? value)
    {
        if (value is null)
        {
            WriteInt16(-1);
            return;
        }
        var length = Encoding.UTF8.GetByteCount(value);
        if (length > short.MaxValue)
        {
            throw new ArgumentException($"the string '{value[..32]}...' is {length} bytes in UTF-8, more than a Kafka string holds ({short.MaxValue})", nameof(value));
        }
        WriteInt16((short)length);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(length);
    }

    public void WriteNullableBytes(byte[]? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }
        WriteInt32(value.Length);
        _buffer.Write(value);
    }

    /// <summary>Partitions grouped by topic (Kafka's TopicPartition array), topics in order of first appearance.</summary>
    public void WriteTopicPartitions(IReadOnlyList<TopicPartition> partitions)
    {
        var byTopic = new List<(string Topic, List<int> Partitions)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var tp in partitions)
        {
            if (!index.TryGetValue(tp.Topic, out var i))
            {
                i = byTopic.Count;
                index.Add(tp.Topic, i);
                byTopic.Add((tp.Topic, []));
            }
            byTopic[i].Partitions.Add(tp.Partition);
        }
        WriteInt32(byTopic.Count);
        foreach (var (topic, numbers) in byTopic)
        {
            WriteNullableString(topic);
            WriteInt32(numbers.Count);
            foreach (var number in numbers)
            {
                WriteInt32(number);
            }
        }
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
