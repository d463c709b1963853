using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orlog.Grains.Storage;

namespace Orlog.Grains.Hosting;

/// <summary>Turns an Orleans silo into an Orlog broker.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>
    /// Adds the broker: <see cref="BrokerOptions"/> bound from the "Orlog" section of
    /// <paramref name="configuration"/> and validated when the host starts (<see cref="BrokerOptionsValidator"/>);
    /// the data directory opened (locked, its meta.properties checked) at the first stage of the silo's start
    /// and released at the end of its stop; the file grain storage as the default storage, rooted at
    /// <c>&lt;data-dir&gt;/metadata</c> (unless <paramref name="fileGrainStorage"/> is false: the caller then
    /// registers the default storage, as cluster mode does with its database); and the services the grains run on.
    /// </summary>
    /// <remarks>
    /// The data directory becomes an absolute path (relative to the current directory) and the names in
    /// <see cref="BrokerOptions.Defaults"/> are read case-insensitively with '_' standing for '.', so that
    /// an environment variable such as <c>Orlog__Defaults__log_retention_ms</c> works.
    /// </remarks>
    public static ISiloBuilder AddOrlogBroker(this ISiloBuilder builder, IConfiguration configuration, bool fileGrainStorage = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        var services = builder.Services;
        services.AddOptions<BrokerOptions>()
            .Bind(configuration.GetSection(BrokerOptions.SectionName))
            .PostConfigure(Normalize)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BrokerOptions>, BrokerOptionsValidator>());

        services.TryAddSingleton<BrokerDataDirectoryLifecycle>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider => provider.GetRequiredService<BrokerDataDirectoryLifecycle>());

        if (fileGrainStorage)
        {
            builder.AddOrlogFileGrainStorageAsDefault(storage => storage.Configure<IOptions<BrokerOptions>>(
                (options, broker) => options.RootDirectory = Path.Combine(broker.Value.DataDirectory, BrokerDataDirectory.MetadataDirectoryName)));
        }

        services.AddOrlogGrainServices();
        return builder;
    }

    private static void Normalize(BrokerOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.DataDirectory) && !options.DataDirectory.Contains('\0', StringComparison.Ordinal))
        {
            options.DataDirectory = Path.GetFullPath(options.DataDirectory);
        }
        if (options.Defaults is { Count: > 0 } defaults)
        {
            var normalized = new Dictionary<string, string>(defaults.Count, StringComparer.Ordinal);
            foreach (var (name, value) in defaults)
            {
                normalized[name.Trim().ToLowerInvariant().Replace('_', '.')] = value;
            }
            options.Defaults = normalized;
        }
    }
}
