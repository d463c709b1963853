using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization.Serializers;

namespace Orlog.Grains.Storage;

/// <summary>
/// Registers <see cref="FileGrainStorage"/> as a named Orleans grain storage (a keyed
/// <see cref="Orleans.Storage.IGrainStorage"/>), with its options validated when the host starts.
/// </summary>
public static class FileGrainStorageServiceCollectionExtensions
{
    /// <summary>Adds a file grain storage called <paramref name="name"/>.</summary>
    public static IServiceCollection AddOrlogFileGrainStorage(
        this IServiceCollection services, string name, Action<OptionsBuilder<FileGrainStorageOptions>> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configureOptions);
        var options = services.AddOptions<FileGrainStorageOptions>(name);
        configureOptions(options);
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FileGrainStorageOptions>, FileGrainStorageOptionsValidator>());
        services.AddGrainStorage(name, static (provider, storageName) => new FileGrainStorage(
            storageName,
            provider.GetRequiredService<IOptionsMonitor<FileGrainStorageOptions>>().Get(storageName),
            provider.GetRequiredService<IActivatorProvider>(),
            provider.GetRequiredService<ILogger<FileGrainStorage>>()));
        return services;
    }

    /// <summary>Adds a file grain storage called <paramref name="name"/>.</summary>
    public static IServiceCollection AddOrlogFileGrainStorage(
        this IServiceCollection services, string name, Action<FileGrainStorageOptions> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(configureOptions);
        return services.AddOrlogFileGrainStorage(name, builder => builder.Configure(configureOptions));
    }

    /// <summary>Adds a file grain storage as the default storage (grains whose state names no storage use it).</summary>
    public static IServiceCollection AddOrlogFileGrainStorageAsDefault(
        this IServiceCollection services, Action<OptionsBuilder<FileGrainStorageOptions>> configureOptions) =>
        services.AddOrlogFileGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configureOptions);

    /// <summary>Adds a file grain storage as the default storage (grains whose state names no storage use it).</summary>
    public static IServiceCollection AddOrlogFileGrainStorageAsDefault(
        this IServiceCollection services, Action<FileGrainStorageOptions> configureOptions) =>
        services.AddOrlogFileGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configureOptions);
}
