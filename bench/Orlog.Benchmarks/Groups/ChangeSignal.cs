namespace Orlog.Benchmarks.Groups;

/// <summary>
/// Tells a waiter that something changed (a member's partitions, here). Take <see cref="Next"/> before looking
/// at the state, then await it: a change made while looking completes it, so none is missed.
/// </summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _next = New();

    public Task Next => Volatile.Read(ref _next).Task;

    public void Notify() => Interlocked.Exchange(ref _next, New()).TrySetResult();

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
