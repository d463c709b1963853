namespace Orlog.Client;

/// <summary>
/// Wakes one waiting loop: <see cref="Reset"/> before looking for work, then await the returned task; a
/// <see cref="Set"/> after the reset completes it, so no wake-up is lost.
/// </summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _current = New();

    public void Set() => Volatile.Read(ref _current).TrySetResult();

    /// <summary>A task completed by the next <see cref="Set"/> (or already completed if one came since the last reset).</summary>
    public Task Reset()
    {
        var current = Volatile.Read(ref _current);
        if (current.Task.IsCompleted)
        {
            var next = New();
            Interlocked.CompareExchange(ref _current, next, current);
            return Volatile.Read(ref _current).Task;
        }
        return current.Task;
    }

    /// <summary>Waits for <paramref name="signal"/> at most <paramref name="timeout"/> (infinite when negative).</summary>
    public static async Task WaitAsync(Task signal, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (signal.IsCompleted || timeout == TimeSpan.Zero)
        {
            return;
        }
        if (timeout < TimeSpan.Zero)
        {
            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        try
        {
            await signal.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
