namespace Orlog.Streaming.Tests;

/// <summary>Polls a condition until it holds or a deadline passes (then fails saying what was awaited).</summary>
internal static class Eventually
{
    public const int DeadlineSeconds = 60;

    public static Task True(Func<bool> condition, Func<string> what) => True(() => Task.FromResult(condition()), what);

    public static async Task True(Func<Task<bool>> condition, Func<string> what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(DeadlineSeconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not within {DeadlineSeconds} s: {what()}");
            }
            await Task.Delay(50);
        }
    }
}
