namespace Orlog.Cli.Output;

/// <summary>How `orlog consume` prints records (--format).</summary>
internal enum RecordFormat
{
    /// <summary>The value only.</summary>
    Value,

    /// <summary>Key, a tab, the value.</summary>
    KeyValue,

    /// <summary>One JSON object per line: topic, partition, offset, timestamp, timestampType, key, value, headers.</summary>
    Json,
}
