namespace Orlog.Client.Tests;

/// <summary>Polling with a deadline instead of sleeping.</summary>
internal static class Eventually
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>Consumes <paramref name="count"/> records, failing with what it got when the deadline passes.</summary>
    public static List<ConsumeResult<TKey, TValue>> Consume<TKey, TValue>(IConsumer<TKey, TValue> consumer, int count)
    {
        var deadline = DateTime.UtcNow + Timeout;
        var results = new List<ConsumeResult<TKey, TValue>>(count);
        while (results.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            Assert.True(left > TimeSpan.Zero, $"Consumed {results.Count} of {count} records before the deadline.");
            if (consumer.Consume(left) is { IsPartitionEOF: false } result)
            {
                results.Add(result);
            }
        }
        return results;
    }

    public static async Task True(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(10);
        }
    }
}
