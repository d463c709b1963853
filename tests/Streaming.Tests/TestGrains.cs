using System.Collections.Concurrent;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Orlog.Streaming.Tests;

[GenerateSerializer, Alias("orlog.streaming.tests.order-event")]
public sealed record OrderEvent([property: Id(0)] string Stream, [property: Id(1)] int Sequence);

/// <summary>What the test grains received, by stream key, in arrival order (a silo singleton).</summary>
public sealed class Deliveries
{
    private readonly ConcurrentDictionary<string, List<(int Sequence, long Offset, bool OwnStream)>> _orders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<byte[]?>> _raw = new(StringComparer.Ordinal);
    private long _count;

    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);

    public long Count => Interlocked.Read(ref _count);

    /// <summary>How many times a subscriber failed an event of the stream.</summary>
    public int Failures(string key) => _failures.GetValueOrDefault(key);

    public void AddFailure(string key) => _failures.AddOrUpdate(key, 1, (_, n) => n + 1);

    public void AddOrder(string key, OrderEvent item, long offset)
    {
        var list = _orders.GetOrAdd(key, _ => []);
        lock (list)
        {
            list.Add((item.Sequence, offset, item.Stream == key));
        }
        Interlocked.Increment(ref _count);
    }

    public void AddRaw(string key, byte[]? value)
    {
        var list = _raw.GetOrAdd(key, _ => []);
        lock (list)
        {
            list.Add(value);
        }
        Interlocked.Increment(ref _count);
    }

    public IReadOnlyDictionary<string, (int Sequence, long Offset, bool OwnStream)[]> Orders() =>
        _orders.ToDictionary(pair => pair.Key, pair => { lock (pair.Value) { return pair.Value.ToArray(); } }, StringComparer.Ordinal);

    public byte[]?[] Raw(string key) => _raw.TryGetValue(key, out var list) ? Locked(list) : [];

    private static byte[]?[] Locked(List<byte[]?> list)
    {
        lock (list)
        {
            return [.. list];
        }
    }
}

public interface IOrderStreamGrain : IGrainWithStringKey;

/// <summary>Each "orders" stream's events reach the grain of that stream's key.</summary>
[ImplicitStreamSubscription("orders")]
public sealed class OrderStreamGrain(Deliveries deliveries) : Grain, IOrderStreamGrain, IStreamSubscriptionObserver, IAsyncObserver<OrderEvent>
{
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<OrderEvent>().ResumeAsync(this);

    public Task OnNextAsync(OrderEvent item, StreamSequenceToken? token = null)
    {
        deliveries.AddOrder(this.GetPrimaryKeyString(), item, token?.SequenceNumber ?? -1);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}

public interface IRawStreamGrain : IGrainWithStringKey;

/// <summary>"sensors" events as the bytes of the record's value, whoever wrote them.</summary>
[ImplicitStreamSubscription("sensors")]
public sealed class RawStreamGrain(Deliveries deliveries) : Grain, IRawStreamGrain, IStreamSubscriptionObserver, IAsyncObserver<byte[]>
{
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<byte[]>().ResumeAsync(this);

    public Task OnNextAsync(byte[] item, StreamSequenceToken? token = null)
    {
        deliveries.AddRaw(this.GetPrimaryKeyString(), item);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}

public interface IReplayGrain : IGrainWithStringKey
{
    /// <summary>Subscribes to the "audit" stream of this grain's key from an offset (explicitly, through pub-sub).</summary>
    Task SubscribeFrom(long offset);

    Task<IReadOnlyList<(int Sequence, long Offset)>> Received();
}

/// <summary>An explicit subscriber of "audit" streams that starts where it is told.</summary>
public sealed class ReplayGrain : Grain, IReplayGrain, IAsyncObserver<OrderEvent>
{
    private readonly List<(int Sequence, long Offset)> _received = [];

    public async Task SubscribeFrom(long offset)
    {
        var stream = this.GetStreamProvider(StreamSilo.Provider).GetStream<OrderEvent>(StreamId.Create("audit", this.GetPrimaryKeyString()));
        await stream.SubscribeAsync(this, new Orleans.Providers.Streams.Common.EventSequenceTokenV2(offset));
    }

    public Task<IReadOnlyList<(int Sequence, long Offset)>> Received() => Task.FromResult<IReadOnlyList<(int Sequence, long Offset)>>([.. _received]);

    public Task OnNextAsync(OrderEvent item, StreamSequenceToken? token = null)
    {
        _received.Add((item.Sequence, token?.SequenceNumber ?? -1));
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}

public interface IPoisonedGrain : IGrainWithStringKey;

/// <summary>A "poison" subscriber that always throws on event 13 (and counts its tries), and takes every other event.</summary>
[ImplicitStreamSubscription("poison")]
public sealed class PoisonedGrain(Deliveries deliveries) : Grain, IPoisonedGrain, IStreamSubscriptionObserver, IAsyncObserver<OrderEvent>
{
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<OrderEvent>().ResumeAsync(this);

    public Task OnNextAsync(OrderEvent item, StreamSequenceToken? token = null)
    {
        if (item.Sequence == 13)
        {
            deliveries.AddFailure(this.GetPrimaryKeyString());
            throw new InvalidOperationException("event 13 cannot be processed");
        }
        deliveries.AddOrder(this.GetPrimaryKeyString(), item, token?.SequenceNumber ?? -1);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
