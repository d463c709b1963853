using System.Text.Json;
using Orleans.Storage;
using Orlog.Grains.Storage;

namespace Orlog.Silo.ClusterDb;

/// <summary>
/// Grain states in the cluster database as UTF-8 JSON with the file storage's settings
/// (<see cref="FileGrainStorageOptions.CreateDefaultJsonSerializerOptions"/>, not indented), so that a
/// state the embedded default can store, cluster mode can too, and an operator can read it with
/// <c>convert_from(payload, 'UTF8')</c>.
/// </summary>
public sealed class JsonGrainStateSerializer : IGrainStorageSerializer
{
    private readonly JsonSerializerOptions _options;

    public JsonGrainStateSerializer()
    {
        _options = FileGrainStorageOptions.CreateDefaultJsonSerializerOptions();
        _options.WriteIndented = false;
    }

    /// <inheritdoc />
    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, _options));

    /// <inheritdoc />
    public T Deserialize<T>(BinaryData input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return JsonSerializer.Deserialize<T>(input.ToMemory().Span, _options)!;
    }
}
