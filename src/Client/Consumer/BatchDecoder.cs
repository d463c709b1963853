using Orlog.Records;

namespace Orlog.Client;

/// <summary>
/// Decodes fetched bytes (whole RecordBatch v2 batches back to back) into consume results: checks each batch
/// (CRC unless check.crcs=false), decompresses it, skips records below the fetch offset (a fetch that starts
/// inside a batch returns the whole batch) and control batches, and deserializes keys and values. A record
/// that does not deserialize becomes an error in its place; a corrupt batch ends the chunk with an error.
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

    /// <summary>Adds the records at or above <paramref name="fetchOffset"/> to the chunk; returns false when a batch was corrupt.</summary>
    public bool Decode(FetchedChunk<TKey, TValue> chunk, byte[] records, long fetchOffset)
    {
        var topic = chunk.Partition.Topic;
        var partition = chunk.Partition.Partition;
        var next = fetchOffset;
        var batches = new RecordBatchEnumerator(records);
        try
        {
            while (batches.MoveNext())
            {
                var header = RecordBatchHeader.Read(batches.Current);
                if (header.NextOffset <= fetchOffset || header.IsControl)
                {
                    next = Math.Max(next, header.NextOffset);
                    continue;
                }
                using var reader = new RecordBatchReader(batches.Current, _checkCrcs);
                foreach (var record in reader)
                {
                    if (record.Offset >= fetchOffset)
                    {
                        chunk.Items.Add(Read(topic, partition, record, header.TimestampType));
                    }
                }
                next = header.NextOffset;
            }
        }
        catch (KafkaException error)
        {
            var position = new TopicPartitionOffset(topic, partition, next);
            var failure = new ConsumeException(new Error(error.Code, $"The batch at offset {next} of {topic}-{partition} is unreadable: {error.Detail} Seek past it to go on."), position, error);
            chunk.Items.Add(new ConsumeItem<TKey, TValue>(null, failure, next));
            chunk.NextFetchOffset = next;
            return false;
        }
        chunk.NextFetchOffset = next;
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
