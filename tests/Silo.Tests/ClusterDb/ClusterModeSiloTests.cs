using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Storage;
using Orlog.Silo.ClusterDb;

namespace Orlog.Silo.Tests.ClusterDb;

/// <summary>An in-process silo in cluster mode (OrlogSilo.CreateBuilder with --cluster-db) on a real PostgreSQL.</summary>
[Collection(ClusterDbCollection.Name)]
public sealed class ClusterModeSiloTests(PostgresFixture postgres) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<IHost> StartSiloAsync(string connectionString)
    {
        var ports = FreePorts.Take(2);
        var commandLine = SiloCommandLine.Parse(
        [
            "--data-dir", _temp.Combine("data"), "--cluster-id", "alpha", "--cluster-db", connectionString,
            "--silo-port", ports[0].ToString(CultureInfo.InvariantCulture), "--gateway-port", ports[1].ToString(CultureInfo.InvariantCulture),
            "--Logging:LogLevel:Default=Warning",
        ]);
        Assert.Null(commandLine.Error);
        var host = OrlogSilo.CreateBuilder(commandLine.ConfigurationArgs).Build();
        try
        {
            await ClusterDatabaseStartup.PrepareAsync(host.Services);
            await host.StartAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task Grain_state_written_through_the_default_storage_survives_a_silo_restart()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        using (var first = await StartSiloAsync(connectionString))
        {
            Assert.IsNotType<Orlog.Grains.Storage.FileGrainStorage>(first.Services.GetRequiredService<IGrainStorage>());
            var counter = first.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("orders/0");
            await counter.Add(2, "a");
            Assert.Equal(5, await counter.Add(3, "b"));
            await first.StopAsync();
        }
        Assert.False(Directory.Exists(_temp.Combine("data", "metadata")), "cluster mode keeps grain state in the database, not in the data directory");
        var json = await ClusterDatabaseTests.ScalarAsync<string>(connectionString, "SELECT convert_from(payload, 'UTF8') FROM orlog_grain_state WHERE grain_key_ext = 'orders/0'");
        Assert.Contains("\"value\":5", json, StringComparison.Ordinal);

        using var restarted = await StartSiloAsync(connectionString);
        var state = await restarted.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("orders/0").Get();
        Assert.Equal(5, state.Value);
        Assert.Equal(["a", "b"], state.Tags.Keys.Order(StringComparer.Ordinal));
        await restarted.StopAsync();
    }

    [Fact]
    public async Task A_stale_write_fails_on_the_ETag_instead_of_overwriting()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        using var silo = await StartSiloAsync(connectionString);
        var storage = silo.Services.GetRequiredService<IGrainStorage>();
        var grainId = GrainId.Create("counter", "stale/0");

        // Two activations of one grain both read "no state", then both write: the second first write loses.
        var first = await ReadAsync(storage, grainId);
        var second = await ReadAsync(storage, grainId);
        first.State!.Value = 1;
        await storage.WriteStateAsync("counter", grainId, first);
        second.State!.Value = 100;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("counter", grainId, second));

        // Both read version 1; the one that writes second holds a stale ETag and must not overwrite.
        var current = await ReadAsync(storage, grainId);
        var stale = await ReadAsync(storage, grainId);
        current.State!.Value = 2;
        await storage.WriteStateAsync("counter", grainId, current);
        stale.State!.Value = 200;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("counter", grainId, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("counter", grainId, stale));

        var stored = await ReadAsync(storage, grainId);
        Assert.Equal(2, stored.State!.Value);
        Assert.Equal(current.ETag, stored.ETag);
        await silo.StopAsync();
    }

    private static async Task<IGrainState<CounterState>> ReadAsync(IGrainStorage storage, GrainId grainId)
    {
        var state = new GrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync("counter", grainId, state);
        Assert.NotNull(state.State);
        return state;
    }
}
