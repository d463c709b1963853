using BenchmarkDotNet.Attributes;
using Orlog.Records;

namespace Orlog.Benchmarks.Records;

/// <summary>
/// The broker's check of one incoming batch (<see cref="RecordBatchValidator.Validate(ReadOnlySpan{byte}, int)"/>):
/// 16 KiB batches of 100-byte records, uncompressed and lz4. Times are per record
/// (OperationsPerInvoke = records per batch), so records/s per core = 1 s / Mean.
/// </summary>
[MemoryDiagnoser]
public class ValidationBenchmarks
{
    /// <summary>148 records of a 100-byte value and no key make a batch just under 16 KiB (uncompressed).</summary>
    public const int RecordsPerBatch = 148;

    private const int ValueSize = 100;

    private byte[] _batch = [];

    [Params(CompressionType.None, CompressionType.Lz4)]
    public CompressionType Compression { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // JSON-like values, padded to 100 bytes: about as compressible as typical event payloads.
        var random = new Random(42);
        var value = new byte[ValueSize];
        using var builder = new RecordBatchBuilder(Compression);
        for (var i = 0; i < RecordsPerBatch; i++)
        {
            value.AsSpan().Fill((byte)' ');
            var json = $"{{\"user\":\"u{random.Next(100_000):D5}\",\"event\":\"click\",\"page\":\"/products/{random.Next(10_000):D4}\",\"ms\":{random.Next(1000)}}}";
            System.Text.Encoding.ASCII.GetBytes(json, value);
            builder.Append(1_700_000_000_000 + i, RecordBytes.Null, value);
        }
        _batch = builder.ToArray();
        Console.WriteLine($"// {Compression}: {RecordsPerBatch} records, {builder.UncompressedRecordsSize + RecordBatchHeader.Size} bytes uncompressed, batch {_batch.Length} bytes");
    }

    [Benchmark(OperationsPerInvoke = RecordsPerBatch)]
    public int Validate() => RecordBatchValidator.Validate(_batch, 1 << 20).RecordCount;

    /// <summary>The CRC-32C alone, for comparison: the part of <see cref="Validate"/> that is not the record walk.</summary>
    [Benchmark(OperationsPerInvoke = RecordsPerBatch)]
    public uint CrcOnly() => RecordBatchHeader.ComputeCrc(_batch);
}
