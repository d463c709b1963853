using Orlog.Client;

namespace Orlog.EndToEnd.Tests.Web;

/// <summary>
/// One real silo for the web tests, sampling every half second: a topic of three partitions, and a group whose one
/// member (kept joined) read and committed the first 150 records, then 150 more were written: it lags by 150.
/// </summary>
public sealed class WebSiloFixture : IAsyncLifetime
{
    public const string Topic = "web-orders";
    public const string Group = "web-lagging";
    public const int Produced = 300;
    public const int Consumed = 150;

    private SiloProcess? _silo;
    private OrlogClient? _client;
    private IConsumer<string, string>? _member;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "orlog-e2e-web", Guid.NewGuid().ToString("N"));

    internal SiloProcess Silo => _silo ?? throw new InvalidOperationException("The silo is not started.");

    public OrlogClient Client => _client ?? throw new InvalidOperationException("The silo is not started.");

    public string Web => Silo.WebBase;

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        _silo = await SiloProcess.StartAsync(Path.Combine(Directory, "data"), "--config", "group.initial.rebalance.delay.ms=0", "--Orlog:WebSampleIntervalMs=500");
        _client = await OrlogClient.ConnectAsync(new ClientConfig { BootstrapServers = Silo.Bootstrap });
        await using (var admin = await new AdminClientBuilder(new ClientConfig()).SetClient(_client).BuildAsync())
        {
            await admin.CreateTopicAsync(Topic, 3);
        }
        await ProduceAsync(Consumed);

        _member = await new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            GroupId = Group,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).SetClient(_client).BuildAsync();
        _member.Subscribe(Topic);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        for (var read = 0; read < Consumed;)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the member read {read} of {Consumed} records in 60 s");
            if (_member.Consume(TimeSpan.FromSeconds(1)) is { } result)
            {
                _member.StoreOffset(result);
                read++;
            }
        }
        _member.Commit();
        await ProduceAsync(Produced - Consumed);
    }

    /// <summary>Produces <paramref name="count"/> keyed records to the topic and waits for every acknowledgement.</summary>
    public async Task ProduceAsync(int count)
    {
        await using var producer = await new ProducerBuilder<string, string>(new ProducerConfig()).SetClient(Client).BuildAsync();
        var sends = Enumerable.Range(0, count).Select(i => producer.ProduceAsync(Topic, new Message<string, string> { Key = $"k{i}", Value = $"value-{i}" }));
        await Task.WhenAll(sends);
    }

    public async Task DisposeAsync()
    {
        if (_member is not null)
        {
            await _member.DisposeAsync();
        }
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }
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
