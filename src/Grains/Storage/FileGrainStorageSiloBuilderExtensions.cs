using Microsoft.Extensions.Options;

namespace Orlog.Grains.Storage;

/// <summary>Adds <see cref="FileGrainStorage"/> to a silo, named or as the default grain storage.</summary>
public static class FileGrainStorageSiloBuilderExtensions
{
    /// <summary>Adds a file grain storage called <paramref name="name"/>.</summary>
    public static ISiloBuilder AddOrlogFileGrainStorage(this ISiloBuilder builder, string name, Action<FileGrainStorageOptions> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOrlogFileGrainStorage(name, configureOptions);
        return builder;
    }

    /// <summary>Adds a file grain storage called <paramref name="name"/>, configured through an options builder (to read other options).</summary>
    public static ISiloBuilder AddOrlogFileGrainStorage(this ISiloBuilder builder, string name, Action<OptionsBuilder<FileGrainStorageOptions>> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOrlogFileGrainStorage(name, configureOptions);
        return builder;
    }

    /// <summary>Adds a file grain storage as the default storage.</summary>
    public static ISiloBuilder AddOrlogFileGrainStorageAsDefault(this ISiloBuilder builder, Action<FileGrainStorageOptions> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOrlogFileGrainStorageAsDefault(configureOptions);
        return builder;
    }

    /// <summary>Adds a file grain storage as the default storage, configured through an options builder (to read other options).</summary>
    public static ISiloBuilder AddOrlogFileGrainStorageAsDefault(this ISiloBuilder builder, Action<OptionsBuilder<FileGrainStorageOptions>> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOrlogFileGrainStorageAsDefault(configureOptions);
        return builder;
    }
}
