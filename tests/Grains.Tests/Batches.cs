using System.Text;
using Orlog.Records;

namespace Orlog.Grains.Tests;

internal static class Batches
{
    public static byte[] Of(params string[] values) => Keyed(values.Select(v => ((string?)null, v)).ToArray());

    public static byte[] Keyed(params (string? Key, string Value)[] records) => Idempotent(-1, -1, -1, records);

    public static byte[] Idempotent(long producerId, short epoch, int sequence, params (string? Key, string Value)[] records)
    {
        using var builder = new RecordBatchBuilder { ProducerId = producerId, ProducerEpoch = epoch, BaseSequence = sequence };
        foreach (var (key, value) in records)
        {
            builder.Append(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), key is null ? null : Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value));
        }
        return builder.ToArray();
    }

    /// <summary>(offset, value) of every record in fetched bytes.</summary>
    public static List<(long Offset, string Value)> Read(byte[] records)
    {
        var result = new List<(long, string)>();
        var batches = new RecordBatchEnumerator(records);
        while (batches.MoveNext())
        {
            using var reader = new RecordBatchReader(batches.Current);
            foreach (var record in reader)
            {
                result.Add((record.Offset, Encoding.UTF8.GetString(record.Value)));
            }
        }
        return result;
    }
}
