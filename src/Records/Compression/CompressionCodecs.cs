namespace Orlog.Records.Compression;

/// <summary>The codec for each of Kafka's compression types.</summary>
public static class CompressionCodecs
{
    public static ICompressionCodec None { get; } = new NoCompressionCodec();

    public static ICompressionCodec Gzip { get; } = new GzipCodec();

    public static ICompressionCodec Snappy { get; } = new SnappyCodec();

    public static ICompressionCodec Lz4 { get; } = new Lz4Codec();

    public static ICompressionCodec Zstd { get; } = new ZstdCodec();

    /// <summary>The codec of a compression type.</summary>
    /// <exception cref="KafkaException">UNSUPPORTED_COMPRESSION_TYPE for an id Kafka does not define.</exception>
    public static ICompressionCodec Get(CompressionType type) => type switch
    {
        CompressionType.None => None,
        CompressionType.Gzip => Gzip,
        CompressionType.Snappy => Snappy,
        CompressionType.Lz4 => Lz4,
        CompressionType.Zstd => Zstd,
        _ => throw Unsupported((int)type),
    };

    /// <summary>True when Kafka defines the compression type (ids 0 to 4).</summary>
    public static bool IsKnown(CompressionType type) => type <= CompressionType.Zstd;

    /// <summary>The codec for Kafka's compression.type name (none, gzip, snappy, lz4, zstd; case-insensitive).</summary>
    /// <exception cref="KafkaException">UNSUPPORTED_COMPRESSION_TYPE for any other name.</exception>
    public static ICompressionCodec Get(string name) => name.ToLowerInvariant() switch
    {
        "none" => None,
        "gzip" => Gzip,
        "snappy" => Snappy,
        "lz4" => Lz4,
        "zstd" => Zstd,
        _ => throw new KafkaException(ErrorCode.UnsupportedCompressionType, $"compression type '{name}' is unknown; use none, gzip, snappy, lz4 or zstd."),
    };

    internal static KafkaException Unsupported(int id) => new(
        ErrorCode.UnsupportedCompressionType,
        $"compression type {id} is unknown; Kafka defines 0 none, 1 gzip, 2 snappy, 3 lz4 and 4 zstd.");
}
