namespace Orlog.Silo.Tests;

/// <summary>A grain whose state goes through the silo's default grain storage.</summary>
public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Add(int amount, string tag);

    Task<CounterState> Get();

    Task Clear();
}

[GenerateSerializer, Alias("orlog.tests.counter-state")]
public sealed class CounterState
{
    [Id(0)]
    public int Value { get; set; }

    [Id(1)]
    public Dictionary<string, Guid> Tags { get; set; } = [];
}

public sealed class CounterGrain([PersistentState("counter")] IPersistentState<CounterState> state) : Grain, ICounterGrain
{
    public async Task<int> Add(int amount, string tag)
    {
        state.State.Value += amount;
        state.State.Tags[tag] = Guid.NewGuid();
        await state.WriteStateAsync();
        return state.State.Value;
    }

    public Task<CounterState> Get() => Task.FromResult(state.State);

    public Task Clear() => state.ClearStateAsync();
}
