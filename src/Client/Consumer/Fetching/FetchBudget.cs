namespace Orlog.Client;

/// <summary>
/// The fetched bytes waiting for Consume, against queued.max.messages.kbytes: the fetcher stops fetching while it is
/// full and is woken when Consume has taken enough.
/// </summary>
internal sealed class FetchBudget
{
    private readonly long _max;
    private readonly AsyncSignal _wake;
    private long _queued;

    public FetchBudget(long max, AsyncSignal wake)
    {
        _max = max;
        _wake = wake;
    }

    public bool IsFull => Volatile.Read(ref _queued) >= _max;

    public void Add(long bytes) => Interlocked.Add(ref _queued, bytes);

    public void Release(long bytes)
    {
        var after = Interlocked.Add(ref _queued, -bytes);
        if (after < _max && after + bytes >= _max)
        {
            _wake.Set();
        }
    }
}
