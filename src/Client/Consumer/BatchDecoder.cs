using Orlog.Records;

namespace Orlog.Client;

/// <summary>
/// Decodes fetched batches into consume results, one batch at a time: checks the batch (CRC unless
/// check.crcs=false), decompresses it, skips records below the fetch offset and control batches, and
/// deserializes keys and values. A record that does not deserialize becomes an error in its place; a corrupt
/// batch becomes an error that halts the partition.
/// </summary>
internal sealed class BatchDecoder<TKey, TValue>
{
    private readonly IDeserializer<TKey> _key;
    private readonly IDeserializer<TValue> _value;
    private readonly bool _checkCrcs;

    public BatchDecoder(IDeserializer<TKey> key, IDeserializer<TValue> value, bool checkCrcs)
    {
        _key = key;
        _value = value;
        _checkCrcs = checkCrcs;
    }

    /// <summary>
    /// Replaces the chunk's items with the records of its next batch that has any at or above the fetch offset;
    /// returns false when a batch is corrupt (its error is the only item then).
    /// </summary>
    public bool DecodeNext(FetchedChunk<TKey, TValue> chunk)
    {
        var items = chunk.Items;
        items.Clear();
        chunk.Next = 0;
        var topic = chunk.Partition.Topic;
        var partition = chunk.Partition.Partition;
        var records = chunk.Records!;
        while (items.Count == 0 && chunk.ReadPosition < records.Length)
        {
            var batches = new RecordBatchEnumerator(records.AsSpan(chunk.ReadPosition));
            long baseOffset = -1;
            try
            {
                if (!batches.MoveNext())
                {
                    chunk.ReadPosition = records.Length;
                    break;
                }
                chunk.ReadPosition += batches.Position;
                var header = RecordBatchHeader.Read(batches.Current);
                baseOffset = header.BaseOffset;
                if (header.NextOffset <= chunk.FetchOffset || header.IsControl)
                {
                    continue;
                }
                using var reader = new RecordBatchReader(batches.Current, _checkCrcs);
                if (items.Capacity < header.RecordCount)
                {
                    items.Capacity = header.RecordCount;
                }
                foreach (var record in reader)
                {
                    if (record.Offset >= chunk.FetchOffset)
                    {
                        items.Add(Read(topic, partition, record, header.TimestampType));
                    }
                }
            }
            catch (KafkaException error)
            {
                items.Clear();
                var at = Math.Max(baseOffset, chunk.FetchOffset);
                var failure = new ConsumeException(new Error(error.Code,
                    $"The batch at offset {at} of {topic}-{partition} is unreadable: {error.Detail} Seek past it to go on."),
                    new TopicPartitionOffset(topic, partition, at), error);
                items.Add(new ConsumeItem<TKey, TValue>(null, failure, at));
                chunk.ReadPosition = records.Length;
                return false;
            }
        }
        return true;
    }

    private ConsumeItem<TKey, TValue> Read(string topic, int partition, Record record, TimestampType timestampType)
    {
        Headers? headers = null;
        if (record.Headers.Count > 0)
        {
            headers = [];
            foreach (var header in record.Headers)
            {
                headers.Add(header.KeyString, header.IsValueNull ? null : header.Value.ToArray());
            }
        }
        TKey key;
        TValue value;
        try
        {
            key = _key.Deserialize(record.Key, record.IsKeyNull, new SerializationContext(MessageComponentType.Key, topic, headers));
            value = _value.Deserialize(record.Value, record.IsValueNull, new SerializationContext(MessageComponentType.Value, topic, headers));
        }
        catch (Exception error)
        {
            var position = new TopicPartitionOffset(topic, partition, record.Offset);
            var failure = new ConsumeException(new Error(ErrorCode.InvalidRecord,
                $"The record at offset {record.Offset} of {topic}-{partition} did not deserialize: {error.Message}"), position, error);
            return new ConsumeItem<TKey, TValue>(null, failure, record.Offset + 1);
        }
        var message = new Message<TKey, TValue>
        {
            Key = key,
            Value = value,
            Timestamp = new Timestamp(record.Timestamp, timestampType),
            Headers = headers,
        };
        var result = new ConsumeResult<TKey, TValue> { Topic = topic, Partition = partition, Offset = record.Offset, Message = message };
        return new ConsumeItem<TKey, TValue>(result, null, record.Offset + 1);
    }
}
