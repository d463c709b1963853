using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Orlog.Grains.Storage;

namespace Orlog.Silo.Tests;

public sealed class FileGrainStorageTests : IDisposable
{
    private const string StateName = "topic";

    private static readonly IActivatorProvider _activators =
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<IActivatorProvider>();

    private readonly TempDirectory _directory = new();
    private readonly GrainId _grain = GrainId.Create("topic", "orders");

    public void Dispose() => _directory.Dispose();

    public enum Cleanup
    {
        Delete,
        Compact,
    }

    public sealed record Partition(int Leader, List<int> Replicas);

    public sealed record TopicState(Guid TopicId, string Name, Dictionary<string, string> Configs, Dictionary<int, Partition> Partitions, Cleanup Cleanup, DateTimeOffset CreatedAt);

    public sealed class Counter
    {
        public int Value { get; set; }
    }

    private static TopicState SampleState() => new(
        Guid.Parse("6f1c5e0a-2b4d-4c61-9a0e-7d7f9d2b8c11"),
        "orders",
        new Dictionary<string, string> { ["retention.ms"] = "86400000", ["cleanup.policy"] = "delete" },
        new Dictionary<int, Partition> { [0] = new(0, [0, 1]), [1] = new(1, [1, 0]) },
        Cleanup.Compact,
        new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    private FileGrainStorage NewStorage() =>
        new("test", new FileGrainStorageOptions { RootDirectory = _directory.Combine("metadata") }, _activators, NullLogger<FileGrainStorage>.Instance);

    [Fact]
    public async Task Write_then_read_round_trips_a_record_with_dictionaries_a_guid_and_an_enum()
    {
        var storage = NewStorage();
        var state = new GrainState<TopicState>(SampleState());
        await storage.WriteStateAsync(StateName, _grain, state);

        Assert.NotNull(state.ETag);
        Assert.True(state.RecordExists);
        var read = new GrainState<TopicState>();
        await storage.ReadStateAsync(StateName, _grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal(state.ETag, read.ETag);
        var expected = SampleState();
        Assert.Equal(expected.TopicId, read.State!.TopicId);
        Assert.Equal(expected.Name, read.State!.Name);
        Assert.Equal(expected.Configs, read.State!.Configs);
        Assert.Equal(expected.Partitions.Keys, read.State!.Partitions.Keys);
        Assert.Equal(expected.Partitions[0].Replicas, read.State!.Partitions[0].Replicas);
        Assert.Equal(expected.Partitions[1].Leader, read.State!.Partitions[1].Leader);
        Assert.Equal(expected.Cleanup, read.State!.Cleanup);
        Assert.Equal(expected.CreatedAt, read.State!.CreatedAt);
    }

    [Fact]
    public async Task The_file_is_a_version_1_envelope_under_the_state_name_and_the_escaped_grain_id()
    {
        var storage = NewStorage();
        var state = new GrainState<TopicState>(SampleState());
        await storage.WriteStateAsync(StateName, _grain, state);

        var path = _directory.Combine("metadata", "topic", "topic%2Forders.json");
        Assert.Equal(path, storage.GetFilePath(StateName, _grain));
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal(state.ETag, root.GetProperty("etag").GetString());
        Assert.Equal("topic/orders", root.GetProperty("grainId").GetString());
        var stored = root.GetProperty("state");
        Assert.Equal("6f1c5e0a-2b4d-4c61-9a0e-7d7f9d2b8c11", stored.GetProperty("topicId").GetString());
        Assert.Equal("86400000", stored.GetProperty("configs").GetProperty("retention.ms").GetString());
        Assert.Equal("Compact", stored.GetProperty("cleanup").GetString());
    }

    [Fact]
    public async Task A_new_storage_instance_reads_what_another_wrote()
    {
        var state = new GrainState<TopicState>(SampleState());
        await NewStorage().WriteStateAsync(StateName, _grain, state);

        var read = new GrainState<TopicState>();
        await NewStorage().ReadStateAsync(StateName, _grain, read);
        Assert.Equal(state.ETag, read.ETag);
        Assert.Equal(SampleState().TopicId, read.State!.TopicId);
    }

    [Fact]
    public async Task Reading_a_state_never_written_gives_a_fresh_instance_and_no_etag()
    {
        var read = new GrainState<Counter>(new Counter { Value = 7 }) { ETag = "stale" };
        await NewStorage().ReadStateAsync("counter", _grain, read);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Equal(0, read.State!.Value);
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_throws_InconsistentStateException()
    {
        var storage = NewStorage();
        var first = new GrainState<Counter>(new Counter { Value = 1 });
        await storage.WriteStateAsync("counter", _grain, first);
        var second = new GrainState<Counter>(new Counter { Value = 2 }, first.ETag);
        await storage.WriteStateAsync("counter", _grain, second);

        first.State!.Value = 3;
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("counter", _grain, first));
        Assert.Equal(second.ETag, conflict.StoredEtag);
        Assert.Equal(first.ETag, conflict.CurrentEtag);
        Assert.Contains("topic/orders", conflict.Message, StringComparison.Ordinal);

        var read = new GrainState<Counter>();
        await storage.ReadStateAsync("counter", _grain, read);
        Assert.Equal(2, read.State!.Value);
    }

    [Fact]
    public async Task A_first_write_that_expects_a_stored_state_throws_InconsistentStateException()
    {
        var state = new GrainState<Counter>(new Counter(), "etag-of-a-deleted-state");
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => NewStorage().WriteStateAsync("counter", _grain, state));
        Assert.Null(conflict.StoredEtag);
    }

    [Fact]
    public async Task Clear_deletes_the_file_and_resets_the_state()
    {
        var storage = NewStorage();
        var state = new GrainState<Counter>(new Counter { Value = 5 });
        await storage.WriteStateAsync("counter", _grain, state);
        var path = storage.GetFilePath("counter", _grain);
        Assert.True(File.Exists(path));

        await storage.ClearStateAsync("counter", _grain, state);

        Assert.False(File.Exists(path));
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal(0, state.State!.Value);
        var read = new GrainState<Counter>();
        await NewStorage().ReadStateAsync("counter", _grain, read);
        Assert.False(read.RecordExists);

        // Written again after the clear, from the cleared state (no ETag).
        state.State!.Value = 6;
        await storage.WriteStateAsync("counter", _grain, state);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task Clear_with_a_stale_etag_throws_and_keeps_the_file()
    {
        var storage = NewStorage();
        var first = new GrainState<Counter>(new Counter { Value = 1 });
        await storage.WriteStateAsync("counter", _grain, first);
        var second = new GrainState<Counter>(new Counter { Value = 2 }, first.ETag);
        await storage.WriteStateAsync("counter", _grain, second);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("counter", _grain, first));
        Assert.True(File.Exists(storage.GetFilePath("counter", _grain)));
    }

    [Fact]
    public async Task Leftover_tmp_files_are_ignored_and_replaced()
    {
        var storage = NewStorage();
        var state = new GrainState<Counter>(new Counter { Value = 1 });
        await storage.WriteStateAsync("counter", _grain, state);
        var path = storage.GetFilePath("counter", _grain);
        // A crash between writing the temp file and renaming it leaves this behind.
        await File.WriteAllTextAsync(path + ".tmp", "{ \"version\": 1, \"etag\": \"torn");
        var otherGrain = GrainId.Create("topic", "payments");
        await File.WriteAllTextAsync(storage.GetFilePath("counter", otherGrain) + ".tmp", "garbage");

        var reopened = NewStorage();
        var read = new GrainState<Counter>();
        await reopened.ReadStateAsync("counter", _grain, read);
        Assert.Equal(1, read.State!.Value);
        Assert.Equal(state.ETag, read.ETag);
        var missing = new GrainState<Counter>();
        await reopened.ReadStateAsync("counter", otherGrain, missing);
        Assert.False(missing.RecordExists);

        read.State!.Value = 2;
        await reopened.WriteStateAsync("counter", _grain, read);
        Assert.False(File.Exists(path + ".tmp"));
        var again = new GrainState<Counter>();
        await NewStorage().ReadStateAsync("counter", _grain, again);
        Assert.Equal(2, again.State!.Value);
    }

    [Theory]
    [InlineData("{ \"version\": 1, \"etag\": \"abc\", \"grainId\": \"topic/ord", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("[1, 2]", "not a JSON object")]
    [InlineData("{ \"version\": 2, \"etag\": \"abc\", \"grainId\": \"topic/orders\", \"state\": {} }", "format version is 2")]
    [InlineData("{ \"etag\": \"abc\", \"grainId\": \"topic/orders\", \"state\": {} }", "no numeric \"version\"")]
    [InlineData("{ \"version\": 1, \"grainId\": \"topic/orders\", \"state\": {} }", "no \"etag\"")]
    [InlineData("{ \"version\": 1, \"etag\": \"abc\", \"grainId\": \"topic/payments\", \"state\": {} }", "not of 'topic/orders'")]
    [InlineData("{ \"version\": 1, \"etag\": \"abc\", \"grainId\": \"topic/orders\", \"state\": { \"value\": \"many\" } }", "does not read as Counter")]
    public async Task A_damaged_file_gives_an_error_naming_the_file_and_the_damage(string content, string damage)
    {
        var storage = NewStorage();
        var path = storage.GetFilePath("counter", _grain);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, content);

        var read = await Assert.ThrowsAsync<InvalidDataException>(() => storage.ReadStateAsync("counter", _grain, new GrainState<Counter>()));
        Assert.Contains(path, read.Message, StringComparison.Ordinal);
        Assert.Contains(damage, read.Message, StringComparison.Ordinal);
        // A write does not silently replace a damaged file either (a well-formed envelope is refused by its ETag).
        var write = await Assert.ThrowsAnyAsync<Exception>(() => storage.WriteStateAsync("counter", _grain, new GrainState<Counter>(new Counter())));
        Assert.True(write is InvalidDataException or InconsistentStateException, write.ToString());
        Assert.Equal(content, await File.ReadAllTextAsync(path));
    }

    [Theory]
    [InlineData("a b/c?d*e:f\\g")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("ünïcødé")]
    public async Task Grain_keys_are_escaped_to_safe_file_names_and_round_trip(string key)
    {
        var storage = NewStorage();
        var grain = GrainId.Create("topic", key);
        var state = new GrainState<Counter>(new Counter { Value = 42 });
        await storage.WriteStateAsync("counter", grain, state);

        var name = Path.GetFileName(storage.GetFilePath("counter", grain));
        Assert.Matches("^[A-Za-z0-9%_-][A-Za-z0-9%._-]*\\.json$", name);
        Assert.Equal(Path.Combine(storage.RootDirectory, "counter"), Path.GetDirectoryName(storage.GetFilePath("counter", grain)));
        var read = new GrainState<Counter>();
        await NewStorage().ReadStateAsync("counter", grain, read);
        Assert.Equal(42, read.State!.Value);
    }

    [Fact]
    public async Task Long_grain_keys_get_short_distinct_file_names()
    {
        var storage = NewStorage();
        var first = GrainId.Create("topic", new string('x', 300) + "1");
        var second = GrainId.Create("topic", new string('x', 300) + "2");
        await storage.WriteStateAsync("counter", first, new GrainState<Counter>(new Counter { Value = 1 }));
        await storage.WriteStateAsync("counter", second, new GrainState<Counter>(new Counter { Value = 2 }));

        Assert.NotEqual(storage.GetFilePath("counter", first), storage.GetFilePath("counter", second));
        Assert.True(Path.GetFileName(storage.GetFilePath("counter", first)).Length < 255);
        var read = new GrainState<Counter>();
        await storage.ReadStateAsync("counter", second, read);
        Assert.Equal(2, read.State!.Value);
    }

    [Fact]
    public async Task Concurrent_writes_with_the_same_etag_let_exactly_one_win()
    {
        var storage = NewStorage();
        var initial = new GrainState<Counter>(new Counter());
        await storage.WriteStateAsync("counter", _grain, initial);

        var writers = Enumerable.Range(1, 8)
            .Select(i => new GrainState<Counter>(new Counter { Value = i }, initial.ETag))
            .ToList();
        var outcomes = await Task.WhenAll(writers.Select(async writer =>
        {
            try
            {
                await storage.WriteStateAsync("counter", _grain, writer);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));
        Assert.Equal(1, outcomes.Count(won => won));
    }
}
