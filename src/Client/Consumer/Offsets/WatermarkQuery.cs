namespace Orlog.Client;

internal static class WatermarkQuery
{
    /// <summary>A partition's log start offset and high watermark, asked of its leader.</summary>
    public static async Task<WatermarkOffsets> QueryAsync(OrlogClient client, TopicPartition partition)
    {
        var asked = new[] { partition };
        var low = OffsetLookup.ListAsync(client, asked, Grains.OffsetSpec.Earliest);
        var high = OffsetLookup.ListAsync(client, asked, Grains.OffsetSpec.Latest);
        var start = (await low.ConfigureAwait(false))[0];
        var end = (await high.ConfigureAwait(false))[0];
        ThrowIfFailed(start, partition);
        ThrowIfFailed(end, partition);
        return new WatermarkOffsets(start.Offset, end.Offset);
    }

    private static void ThrowIfFailed(Grains.ListOffsetsResult result, TopicPartition partition)
    {
        if (result.Error != ErrorCode.None)
        {
            throw new KafkaException(result.Error, result.ErrorMessage ?? $"Reading the offsets of {partition} failed.");
        }
    }
}
