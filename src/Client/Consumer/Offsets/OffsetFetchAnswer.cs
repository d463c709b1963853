using Orlog.Grains;

namespace Orlog.Client;

internal static class OffsetFetchAnswer
{
    /// <summary>The committed offset of <paramref name="partition"/> in an OffsetFetch answer, -1 for none.</summary>
    public static long Find(OffsetFetchResponse response, TopicPartition partition)
    {
        foreach (var offset in response.Offsets)
        {
            if (offset.Partition == partition.Partition && offset.Topic == partition.Topic)
            {
                return offset.Offset;
            }
        }
        return -1;
    }
}
