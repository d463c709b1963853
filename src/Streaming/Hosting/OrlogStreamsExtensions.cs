using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Providers;
using Orleans.Runtime.Providers;
using Orleans.Storage;
using Orlog.Streaming;

namespace Orleans.Hosting;

/// <summary>Registers an Orlog stream provider in a silo or an Orleans client.</summary>
public static class OrlogStreamsExtensions
{
    /// <summary>
    /// Adds the Orlog stream provider <paramref name="name"/> to a silo: its pulling agents read the namespaces' topics
    /// and commit under the group named after the provider. Explicit subscriptions are kept in the grain storage named
    /// "PubSubStore", which is the silo's default storage (Orlog's data directory, or the cluster database) unless one
    /// of that name is registered.
    /// </summary>
    public static ISiloBuilder AddOrlogStreams(this ISiloBuilder builder, string name, Action<OrlogStreamOptions> configure,
        Action<ISiloPersistentStreamConfigurator>? configureStream = null)
    {
        builder.Services.TryAddKeyedSingleton<IGrainStorage>(ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME, (services, _) =>
            services.GetKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME) ?? services.GetRequiredService<IGrainStorage>());
        return builder.AddPersistentStreams(name, OrlogQueueAdapterFactory.Create, stream =>
        {
            stream.Configure<OrlogStreamOptions>(options => options.Configure(configure));
            // The receiver long-polls, so the timer only restarts a pump that came back idle: a short period keeps
            // the first record after a quiet spell from waiting for it.
            stream.ConfigurePullingAgent(options => options.Configure<IOptionsMonitor<OrlogStreamOptions>>((agent, streams) =>
            {
                agent.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(10);
                agent.BatchContainerBatchSize = streams.Get(name).DeliveryBatchSize;
                // A failing event is tried DeliveryAttempts times, then dead-lettered (DeadLetterHandler).
                agent.MaxEventDeliveryTime = streams.Get(name).DeliveryRetryTime;
            }));
            stream.ConfigureBackoffProvider((services, provider) => new DeliveryBackoff(services.GetOptionsByName<OrlogStreamOptions>(provider).DeliveryRetryBackoff));
            configureStream?.Invoke(stream);
        });
    }

    /// <summary>Adds the Orlog stream provider <paramref name="name"/> to an Orleans client, which produces to its streams (subscribers live in silos).</summary>
    public static IClientBuilder AddOrlogStreams(this IClientBuilder builder, string name, Action<OrlogStreamOptions> configure) =>
        builder.AddPersistentStreams(name, OrlogQueueAdapterFactory.Create, stream => stream.Configure<OrlogStreamOptions>(options => options.Configure(configure)));
}

/// <summary>The same wait before each new attempt at an event a subscriber failed.</summary>
internal sealed class DeliveryBackoff(TimeSpan wait) : IMessageDeliveryBackoffProvider
{
    public TimeSpan Next(int attempt) => wait;
}
