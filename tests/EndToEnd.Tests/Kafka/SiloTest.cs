namespace Orlog.EndToEnd.Tests.Kafka;

/// <summary>
/// A test class with a real silo of its own (SiloProcess: free ports, a Kafka listener on a free port) in a
/// temporary directory removed afterwards, and the SDK's admin at hand to create topics.
/// </summary>
public abstract class SiloTest(string name, params string[] arguments) : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "orlog-e2e-" + name, Guid.NewGuid().ToString("N"));
    private SiloProcess? _silo;

    internal SiloProcess Silo => _silo ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _silo = await SiloProcess.StartAsync(Path.Combine(_directory, "data"), arguments);
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>Creates a topic through the SDK's admin client (Orleans), so Kafka-side tests start from a known topic.</summary>
    protected async Task CreateTopicAsync(string topic, int partitions)
    {
        await using var client = await Client.OrlogClient.ConnectAsync(new Client.ClientConfig { BootstrapServers = Silo.Bootstrap });
        await using var admin = await new Client.AdminClientBuilder(new Client.ClientConfig()).SetClient(client).BuildAsync();
        await admin.CreateTopicAsync(topic, partitions);
    }
}
