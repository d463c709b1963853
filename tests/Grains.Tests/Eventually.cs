namespace Orlog.Grains.Tests;

/// <summary>Polling with a deadline instead of sleeping.</summary>
internal static class Eventually
{
    /// <summary>Runs <paramref name="attempt"/> every <paramref name="interval"/> until it returns true; fails at the deadline.</summary>
    public static async Task Async(Func<Task<bool>> attempt, TimeSpan timeout, TimeSpan interval, string? what = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await attempt())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out after {timeout.TotalSeconds:0.#} s waiting {what ?? "for the condition"}.");
            await Task.Delay(interval > TimeSpan.Zero ? interval : TimeSpan.FromMilliseconds(1));
        }
    }
}
