using System.Diagnostics;

namespace Orlog.EndToEnd.Tests.Cluster;

/// <summary>Waiting on the cluster with a deadline instead of sleeping.</summary>
internal static class Poll
{
    /// <summary>Calls <paramref name="probe"/> every <paramref name="interval"/> until it returns a value, failing after <paramref name="deadline"/>.</summary>
    public static async Task<T> UntilAsync<T>(string what, TimeSpan deadline, TimeSpan interval, Func<Task<T?>> probe)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            if (clock.Elapsed > deadline)
            {
                Assert.Fail($"not within {deadline.TotalSeconds:F0} s: {what}");
            }
            await Task.Delay(interval);
        }
    }
}
