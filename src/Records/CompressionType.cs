namespace Orlog.Client;

/// <summary>The compression codec of a record batch: bits 0-2 of its attributes, with Kafka's numbers.</summary>
public enum CompressionType : byte
{
    None = 0,
    Gzip = 1,
    Snappy = 2,
    Lz4 = 3,
    Zstd = 4,
}
