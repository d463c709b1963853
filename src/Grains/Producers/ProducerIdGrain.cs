namespace Orlog.Grains.Producers;

/// <summary>
/// Hands out producer ids in blocks of <see cref="BlockSize"/>: a block is persisted as taken before any of
/// its ids is given, so after a restart ids continue past it and are never reused.
/// </summary>
public sealed class ProducerIdGrain : Grain, IProducerIdGrain
{
    public const int BlockSize = 1000;

    private readonly IPersistentState<ProducerIdState> _state;
    private long _next;
    private long _blockEnd;

    public ProducerIdGrain([PersistentState("producer-ids")] IPersistentState<ProducerIdState> state)
    {
        _state = state;
    }

    public async Task<ProducerIdAndEpoch> AllocateProducerId()
    {
        if (_next >= _blockEnd)
        {
            _next = _state.State.NextBlockStart;
            _blockEnd = _next + BlockSize;
            _state.State.NextBlockStart = _blockEnd;
            await _state.WriteStateAsync();
        }
        return new ProducerIdAndEpoch(_next++, 0);
    }
}
