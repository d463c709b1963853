using Microsoft.Extensions.Options;

namespace Orlog.Grains.Storage;

/// <summary>Refuses a <see cref="FileGrainStorageOptions"/> without a usable root directory.</summary>
public sealed class FileGrainStorageOptionsValidator : IValidateOptions<FileGrainStorageOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, FileGrainStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var setting = string.IsNullOrEmpty(name) ? "FileGrainStorage:RootDirectory" : $"FileGrainStorage[{name}]:RootDirectory";
        if (string.IsNullOrWhiteSpace(options.RootDirectory))
        {
            return ValidateOptionsResult.Fail($"{setting} is empty: set the directory that holds the grain state files.");
        }
        if (options.RootDirectory.Contains('\0', StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Fail($"{setting}='{options.RootDirectory}' is not a valid path.");
        }
        try
        {
            _ = Path.GetFullPath(options.RootDirectory);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return ValidateOptionsResult.Fail($"{setting}='{options.RootDirectory}' is not a valid path: {e.Message}");
        }
        return ValidateOptionsResult.Success;
    }
}
