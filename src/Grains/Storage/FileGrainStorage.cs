using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Orlog.Grains.Storage;

/// <summary>
/// Grain storage in plain files, the embedded single-silo default: every grain state is one file,
/// <c>&lt;root&gt;/&lt;state name&gt;/&lt;grain id&gt;.json</c>, both names escaped to safe file names (ASCII
/// letters, digits, '-', '_' and a '.' that does not lead the name are kept; every other UTF-8 byte is
/// <c>%XX</c>, so the grain <c>topic/orders</c> is the file <c>topic%2Forders.json</c>).
/// </summary>
/// <remarks>
/// <para>
/// Format version 1, one JSON object per file (System.Text.Json, see
/// <see cref="FileGrainStorageOptions.CreateDefaultJsonSerializerOptions"/>):
/// <code>
/// {
///   "version": 1,                        // the envelope's format version
///   "etag": "3f2a...",                   // changes on every write
///   "grainId": "topic/orders",           // the full Orleans grain id (type/key)
///   "state": { ... }                     // the grain's state as JSON
/// }
/// </code>
/// A reader refuses another version or a damaged file with an <see cref="InvalidDataException"/> naming
/// the file; unknown properties inside "state" are skipped. docs/metadata-format.md describes the format
/// for operators.
/// </para>
/// <para>
/// A write goes to <c>&lt;file&gt;.tmp</c>, is fsynced, renamed over the file and the directory is
/// fsynced: after a crash the file holds the old or the new state, never a torn one. Leftover
/// <c>.tmp</c> files are never read. A write or clear whose ETag is not the stored one (null when no file
/// exists) throws <see cref="InconsistentStateException"/>; a clear deletes the file. The directory must
/// belong to one silo at a time (the broker's data directory lock guarantees it); within the process,
/// writes to one file are serialized, across every storage instance (so the in-process silos of a test
/// cluster that share one directory see ETag conflicts, as they would through a database, not torn writes). File work runs on the thread pool, never on a grain's turn.
/// </para>
/// </remarks>
public sealed partial class FileGrainStorage : IGrainStorage
{
    private const int LockStripes = 64;

    private readonly string _name;
    private readonly string _root;
    private readonly JsonSerializerOptions _jsonOptions;
    private readonly IActivatorProvider _activatorProvider;
    private readonly ILogger<FileGrainStorage> _logger;

    // Process-wide, by full path: two storage instances over one directory must not interleave a write.
    private static readonly SemaphoreSlim[] _locks = [.. Enumerable.Range(0, LockStripes).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>Creates a storage over <see cref="FileGrainStorageOptions.RootDirectory"/>; nothing is touched on disk until the first write.</summary>
    public FileGrainStorage(string name, FileGrainStorageOptions options, IActivatorProvider activatorProvider, ILogger<FileGrainStorage> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new FileGrainStorageOptionsValidator().Validate(name, options);
        if (validation.Failed)
        {
            throw new ArgumentException(validation.FailureMessage, nameof(options));
        }
        _name = name;
        _root = Path.GetFullPath(options.RootDirectory);
        _jsonOptions = options.JsonSerializerOptions ?? FileGrainStorageOptions.CreateDefaultJsonSerializerOptions();
        _activatorProvider = activatorProvider;
        _logger = logger;
    }

    /// <summary>The absolute directory that holds this storage's files.</summary>
    public string RootDirectory => _root;

    /// <summary>The file that holds <paramref name="stateName"/> of <paramref name="grainId"/>.</summary>
    public string GetFilePath(string stateName, GrainId grainId) =>
        Path.Combine(_root, GrainStateFileNames.Escape(stateName), GrainStateFileNames.Escape(grainId.ToString()) + GrainStateFileNames.Extension);

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var path = GetFilePath(stateName, grainId);
        var id = grainId.ToString();
        var (found, etag, state) = await Task.Run(() => ReadFile<T>(path, id), cancellationToken);
        grainState.State = found && state is not null ? state : CreateInstance<T>();
        grainState.ETag = etag;
        grainState.RecordExists = found;
    }

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var path = GetFilePath(stateName, grainId);
        var id = grainId.ToString();
        var expected = grainState.ETag;
        // Serialized here, in the caller's turn: a reentrant grain may change its state while the file is written.
        var etag = Guid.NewGuid().ToString("N");
        var content = GrainStateEnvelope.Write(etag, id, grainState.State, _jsonOptions);
        var gate = LockFor(path);
        await gate.WaitAsync(cancellationToken);
        try
        {
            await Task.Run(() => WriteFile(stateName, path, id, expected, content), cancellationToken);
        }
        finally
        {
            gate.Release();
        }
        LogWritten(_logger, _name, stateName, id, etag);
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var path = GetFilePath(stateName, grainId);
        var id = grainId.ToString();
        var expected = grainState.ETag;
        var gate = LockFor(path);
        await gate.WaitAsync(cancellationToken);
        try
        {
            await Task.Run(() => DeleteFile(stateName, path, id, expected), cancellationToken);
        }
        finally
        {
            gate.Release();
        }
        LogCleared(_logger, _name, stateName, id);
        grainState.State = CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private (bool Found, string? ETag, T? State) ReadFile<T>(string path, string grainId)
    {
        var content = AtomicFile.ReadOrNull(path);
        if (content is null)
        {
            return (false, null, default);
        }
        using var envelope = GrainStateEnvelope.Read(content, path);
        CheckOwner(envelope, path, grainId);
        return (true, envelope.ETag, envelope.DeserializeState<T>(_jsonOptions, path));
    }

    private void WriteFile(string stateName, string path, string grainId, string? expected, byte[] content)
    {
        CheckETag(stateName, path, grainId, expected, "write");
        AtomicFile.EnsureDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.Write(path, content);
    }

    private void DeleteFile(string stateName, string path, string grainId, string? expected)
    {
        CheckETag(stateName, path, grainId, expected, "clear");
        AtomicFile.Delete(path);
    }

    private void CheckETag(string stateName, string path, string grainId, string? expected, string operation)
    {
        string? stored = null;
        var content = AtomicFile.ReadOrNull(path);
        if (content is not null)
        {
            using var envelope = GrainStateEnvelope.Read(content, path);
            CheckOwner(envelope, path, grainId);
            stored = envelope.ETag;
        }
        if (!string.Equals(stored, expected, StringComparison.Ordinal))
        {
            LogETagConflict(_logger, _name, operation, stateName, grainId, stored, expected);
            throw new InconsistentStateException(
                $"Cannot {operation} state '{stateName}' of grain {grainId}: its stored ETag is {Describe(stored)} but this activation holds {Describe(expected)}. " +
                "Another activation wrote or cleared it; reactivate the grain to read the current state.",
                stored,
                expected);
        }
    }

    private static void CheckOwner(GrainStateEnvelope.Parsed envelope, string path, string grainId)
    {
        if (!string.Equals(envelope.GrainId, grainId, StringComparison.Ordinal))
        {
            throw GrainStateEnvelope.Damaged(path, $"it holds the state of grain '{envelope.GrainId}', not of '{grainId}'");
        }
    }

    private static string Describe(string? etag) => etag is null ? "none (no state stored)" : $"'{etag}'";

    private static SemaphoreSlim LockFor(string path) => _locks[(uint)StringComparer.Ordinal.GetHashCode(path) % LockStripes];

    private T CreateInstance<T>() => _activatorProvider.GetActivator<T>().Create();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Storage {Storage}: wrote state {StateName} of grain {GrainId}, ETag {ETag}")]
    private static partial void LogWritten(ILogger logger, string storage, string stateName, string grainId, string etag);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Storage {Storage}: cleared state {StateName} of grain {GrainId}")]
    private static partial void LogCleared(ILogger logger, string storage, string stateName, string grainId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage {Storage}: ETag conflict on {Operation} of state {StateName} of grain {GrainId}: stored {StoredETag}, given {GivenETag}")]
    private static partial void LogETagConflict(ILogger logger, string storage, string operation, string stateName, string grainId, string? storedETag, string? givenETag);
}
