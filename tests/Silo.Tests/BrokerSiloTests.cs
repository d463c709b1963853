using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using Orlog.Grains.Hosting;
using Orlog.Grains.Storage;

namespace Orlog.Silo.Tests;

/// <summary>An in-process silo wired by AddOrlogBroker: the data directory and the default file storage at work.</summary>
[Collection(SiloProcessCollection.Name)]
public sealed class BrokerSiloTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly int[] _ports = FreePorts.Take(2);

    public void Dispose() => _temp.Dispose();

    private IHost BuildSilo()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Orlog:DataDirectory"] = _temp.Combine("data") })
            .Build();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo => silo.AddOrlogBroker(configuration).UseLocalhostClustering(_ports[0], _ports[1]));
        return builder.Build();
    }

    [Fact]
    public async Task Grain_state_persists_in_the_metadata_directory_across_silo_restarts_and_clear_removes_it()
    {
        string path;
        using (var first = BuildSilo())
        {
            await first.StartAsync();
            var counter = first.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("orders/0");
            await counter.Add(2, "a");
            Assert.Equal(5, await counter.Add(3, "b"));

            var storage = Assert.IsType<FileGrainStorage>(first.Services.GetRequiredService<IGrainStorage>());
            path = storage.GetFilePath("counter", counter.GetGrainId());
            Assert.StartsWith(_temp.Combine("data", "metadata", "counter") + Path.DirectorySeparatorChar, path, StringComparison.Ordinal);
            using (var json = JsonDocument.Parse(await File.ReadAllBytesAsync(path)))
            {
                Assert.Equal(1, json.RootElement.GetProperty("version").GetInt32());
                Assert.Equal(counter.GetGrainId().ToString(), json.RootElement.GetProperty("grainId").GetString());
                Assert.Equal(5, json.RootElement.GetProperty("state").GetProperty("value").GetInt32());
            }

            // The running silo holds the data directory: a second one in this process is refused too.
            using var second = BuildSilo();
            var refused = await Assert.ThrowsAsync<BrokerDataDirectoryException>(() => second.StartAsync());
            Assert.Contains(_temp.Combine("data"), refused.Message, StringComparison.Ordinal);

            await first.StopAsync();
        }

        using (var restarted = BuildSilo())
        {
            await restarted.StartAsync();
            var counter = restarted.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("orders/0");
            var state = await counter.Get();
            Assert.Equal(5, state.Value);
            Assert.Equal(["a", "b"], state.Tags.Keys.Order(StringComparer.Ordinal));

            await counter.Clear();
            Assert.False(File.Exists(path));
            Assert.Equal(0, (await counter.Get()).Value);
            await restarted.StopAsync();
        }
    }
}
