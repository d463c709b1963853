using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orlog.Grains.Storage;

/// <summary>The settings of one <see cref="FileGrainStorage"/>.</summary>
public sealed class FileGrainStorageOptions
{
    /// <summary>
    /// The directory that holds the state files, one subdirectory per state name. Relative paths resolve
    /// against the process's current directory. The broker sets it to <c>&lt;data-dir&gt;/metadata</c>.
    /// </summary>
    /// <value>Empty: it must be set.</value>
    public string RootDirectory { get; set; } = "";

    /// <summary>How states are written as JSON; null means <see cref="CreateDefaultJsonSerializerOptions"/>.</summary>
    /// <value>null.</value>
    public JsonSerializerOptions? JsonSerializerOptions { get; set; }

    /// <summary>
    /// The default JSON settings of the metadata format: camelCase property names (dictionary keys are kept
    /// as they are), records through their constructors, public fields included, enums as their names,
    /// Guids in their 36-character form, NaN and infinities as strings, indented, and unknown properties
    /// skipped so that an older reader can read a newer state.
    /// </summary>
    public static JsonSerializerOptions CreateDefaultJsonSerializerOptions() => new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        IncludeFields = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };
}
