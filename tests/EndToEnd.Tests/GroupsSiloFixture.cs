namespace Orlog.EndToEnd.Tests;

/// <summary>One real silo for the consumer group tests, with sessions as short as 1 s allowed so that a dead member is noticed fast.</summary>
public sealed class GroupsSiloFixture : IAsyncLifetime
{
    private SiloProcess? _silo;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "orlog-e2e-groups", Guid.NewGuid().ToString("N"));

    public string Bootstrap => (_silo ?? throw new InvalidOperationException("The silo is not started.")).Bootstrap;

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        _silo = await SiloProcess.StartAsync(Path.Combine(Directory, "data"),
            "--config", "group.min.session.timeout.ms=1000",
            "--config", "group.consumer.heartbeat.interval.ms=500");
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
