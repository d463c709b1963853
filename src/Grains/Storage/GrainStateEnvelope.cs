using System.Buffers;
using System.Text.Json;

namespace Orlog.Grains.Storage;

/// <summary>
/// Reads and writes the JSON envelope of one grain state file (format version 1):
/// <c>{ "version": 1, "etag": "...", "grainId": "...", "state": ... }</c>. See <see cref="FileGrainStorage"/>.
/// </summary>
internal static class GrainStateEnvelope
{
    public const int CurrentVersion = 1;

    private const string VersionProperty = "version";
    private const string ETagProperty = "etag";
    private const string GrainIdProperty = "grainId";
    private const string StateProperty = "state";

    public static byte[] Write<T>(string etag, string grainId, T state, JsonSerializerOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = options.WriteIndented, Encoder = options.Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteNumber(VersionProperty, CurrentVersion);
            writer.WriteString(ETagProperty, etag);
            writer.WriteString(GrainIdProperty, grainId);
            writer.WritePropertyName(StateProperty);
            JsonSerializer.Serialize(writer, state, options);
            writer.WriteEndObject();
        }
        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses the envelope; a file that is not a version 1 envelope throws <see cref="InvalidDataException"/>.</summary>
    public static Parsed Read(byte[] content, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content);
        }
        catch (JsonException e)
        {
            throw Damaged(path, $"it is not valid JSON ({e.Message})", e);
        }
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Damaged(path, "it is not a JSON object");
        }
        if (!root.TryGetProperty(VersionProperty, out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var versionNumber))
        {
            throw Damaged(path, $"it has no numeric \"{VersionProperty}\"");
        }
        if (versionNumber != CurrentVersion)
        {
            throw Damaged(path, $"its format version is {versionNumber}; this Orlog reads version {CurrentVersion} (a newer Orlog wrote it?)");
        }
        var etag = RequireString(root, ETagProperty, path);
        var grainId = RequireString(root, GrainIdProperty, path);
        if (!root.TryGetProperty(StateProperty, out var state))
        {
            throw Damaged(path, $"it has no \"{StateProperty}\"");
        }
        return new Parsed(document, etag, grainId, state);
    }

    public static InvalidDataException Damaged(string path, string reason, Exception? inner = null) =>
        new($"The grain state file '{path}' is damaged: {reason}. Restore it from a backup, or delete it to reset that grain's state.", inner);

    private static string RequireString(JsonElement root, string name, string path)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
        {
            throw Damaged(path, $"it has no \"{name}\" string");
        }
        return text;
    }

    /// <summary>A parsed envelope; dispose it to return the document's buffers.</summary>
    public sealed class Parsed(JsonDocument document, string etag, string grainId, JsonElement state) : IDisposable
    {
        public string ETag { get; } = etag;

        public string GrainId { get; } = grainId;

        public JsonElement State { get; } = state;

        public T? DeserializeState<T>(JsonSerializerOptions options, string path)
        {
            try
            {
                return State.Deserialize<T>(options);
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
            {
                throw Damaged(path, $"its state does not read as {typeof(T).Name} ({e.Message})", e);
            }
        }

        public void Dispose() => document.Dispose();
    }
}
