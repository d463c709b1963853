using Orleans.Streams;
using Orleans.Streams.Core;

namespace Orlog.Benchmarks.Streams;

/// <summary>A grain that publishes to its own stream (key: its key), one event per OnNextAsync call.</summary>
public interface IStreamPublisherGrain : IGrainWithStringKey
{
    Task Publish(string provider, string streamNamespace, int events, int valueBytes);
}

public sealed class StreamPublisherGrain : Grain, IStreamPublisherGrain
{
    public async Task Publish(string provider, string streamNamespace, int events, int valueBytes)
    {
        var stream = this.GetStreamProvider(provider).GetStream<byte[]>(StreamId.Create(streamNamespace, this.GetPrimaryKeyString()));
        var value = new byte[valueBytes];
        for (var i = 0; i < events; i++)
        {
            await stream.OnNextAsync(value);
        }
    }
}

/// <summary>A subscriber that counts what it is handed into the silo's <see cref="DeliveryMeter"/>; one subclass per namespace measured.</summary>
public abstract class CountingSubscriberGrain(DeliveryMeter meter) : Grain, IStreamSubscriptionObserver, IAsyncObserver<byte[]>
{
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<byte[]>().ResumeAsync(this);

    public Task OnNextAsync(byte[] item, StreamSequenceToken? token = null)
    {
        meter.Received(item);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}

public interface IOrlogSubscriberGrain : IGrainWithStringKey;

/// <summary>Each stream of the Orlog provider's delivery namespace reaches the grain of its key.</summary>
[ImplicitStreamSubscription(StreamsSilo.OrlogNamespace)]
public sealed class OrlogSubscriberGrain(DeliveryMeter meter) : CountingSubscriberGrain(meter), IOrlogSubscriberGrain;

public interface IBatchedSubscriberGrain : IGrainWithStringKey;

/// <summary>The same on the Orlog provider that hands out up to 32 events of a stream per delivery.</summary>
[ImplicitStreamSubscription(StreamsSilo.BatchedNamespace)]
public sealed class BatchedSubscriberGrain(DeliveryMeter meter) : CountingSubscriberGrain(meter), IBatchedSubscriberGrain;

public interface IMemorySubscriberGrain : IGrainWithStringKey;

/// <summary>The same on Orleans' memory stream provider.</summary>
[ImplicitStreamSubscription(StreamsSilo.MemoryNamespace)]
public sealed class MemorySubscriberGrain(DeliveryMeter meter) : CountingSubscriberGrain(meter), IMemorySubscriberGrain;
