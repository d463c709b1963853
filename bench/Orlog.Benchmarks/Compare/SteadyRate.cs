using System.Diagnostics;

namespace Orlog.Benchmarks.Compare;

/// <summary>The latency runs' sender: <c>send</c> called <c>total</c> times at a steady rate, catching up every millisecond.</summary>
internal static class SteadyRate
{
    public static void Run(long total, int ratePerSecond, Action send, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        long sent = 0;
        while (sent < total)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var due = Math.Min(total, (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * ratePerSecond));
            for (; sent < due; sent++)
            {
                send();
            }
            Thread.Sleep(1);
        }
    }
}
