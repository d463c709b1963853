namespace Orlog.Client;

/// <summary>The settings Orlog's clients know, by Kafka's names, with Kafka's defaults unless CONVENTIONS.md says otherwise.</summary>
internal static class ConfigProperties
{
    public const string BootstrapServers = "bootstrap.servers";
    public const string ClientId = "client.id";
    public const string RequestTimeoutMs = "request.timeout.ms";
    public const string ConnectTimeoutMs = "socket.connection.setup.timeout.ms";
    public const string RetryBackoffMs = "retry.backoff.ms";
    public const string MetadataMaxAgeMs = "metadata.max.age.ms";
    public const string ClusterId = "orleans.cluster.id";
    public const string ServiceId = "orleans.service.id";
    public const string GatewayListRefreshMs = "orleans.gateway.list.refresh.ms";

    public const string Acks = "acks";
    public const string EnableIdempotence = "enable.idempotence";
    public const string LingerMs = "linger.ms";
    public const string BatchSize = "batch.size";
    public const string CompressionType = "compression.type";
    public const string MaxInFlight = "max.in.flight.requests.per.connection";
    public const string Retries = "retries";
    public const string DeliveryTimeoutMs = "delivery.timeout.ms";
    public const string BufferMemory = "buffer.memory";
    public const string MaxBlockMs = "max.block.ms";
    public const string MaxRequestSize = "max.request.size";

    public const string GroupId = "group.id";
    public const string AutoOffsetReset = "auto.offset.reset";
    public const string FetchMinBytes = "fetch.min.bytes";
    public const string FetchMaxWaitMs = "fetch.max.wait.ms";
    public const string MaxPartitionFetchBytes = "max.partition.fetch.bytes";
    public const string FetchMaxBytes = "fetch.max.bytes";
    public const string EnablePartitionEof = "enable.partition.eof";
    public const string CheckCrcs = "check.crcs";
    public const string QueuedMaxMessagesKbytes = "queued.max.messages.kbytes";
    public const string SessionTimeoutMs = "session.timeout.ms";
    public const string EnableAutoCommit = "enable.auto.commit";
    public const string AutoCommitIntervalMs = "auto.commit.interval.ms";
    public const string GroupInstanceId = "group.instance.id";
    public const string MaxPollIntervalMs = "max.poll.interval.ms";
    public const string EnableAutoOffsetStore = "enable.auto.offset.store";
    public const string GroupRemoteAssignor = "group.remote.assignor";

    private static readonly Dictionary<string, ConfigProperty> _all = Index(
        ConfigProperty.Text(BootstrapServers, ConfigRole.Common, "127.0.0.1:30000", BootstrapEndpoints.Check),
        ConfigProperty.Text(ClientId, ConfigRole.Common, "orlog"),
        ConfigProperty.Int(RequestTimeoutMs, ConfigRole.Common, 30_000, 1),
        ConfigProperty.Int(ConnectTimeoutMs, ConfigRole.Common, 10_000, 1),
        ConfigProperty.Int(RetryBackoffMs, ConfigRole.Common, 100, 0),
        ConfigProperty.Int(MetadataMaxAgeMs, ConfigRole.Common, 300_000, 1),
        ConfigProperty.Text(ClusterId, ConfigRole.Common, "orlog", NotEmpty),
        ConfigProperty.Text(ServiceId, ConfigRole.Common, "orlog", NotEmpty),
        ConfigProperty.Int(GatewayListRefreshMs, ConfigRole.Common, 2_000, 100, 600_000),

        ConfigProperty.Choice(Acks, ConfigRole.Producer, "all", "all", "-1", "0", "1"),
        ConfigProperty.Bool(EnableIdempotence, ConfigRole.Producer, true),
        ConfigProperty.Int(LingerMs, ConfigRole.Producer, 5, 0, 900_000),
        ConfigProperty.Int(BatchSize, ConfigRole.Producer, 16_384, 1),
        ConfigProperty.Choice(CompressionType, ConfigRole.Producer, "none", "none", "gzip", "snappy", "lz4", "zstd"),
        ConfigProperty.Int(MaxInFlight, ConfigRole.Producer, 5, 1),
        ConfigProperty.Int(Retries, ConfigRole.Producer, int.MaxValue, 0),
        ConfigProperty.Int(DeliveryTimeoutMs, ConfigRole.Producer, 120_000, 1),
        ConfigProperty.Int(BufferMemory, ConfigRole.Producer, 33_554_432, 1),
        ConfigProperty.Int(MaxBlockMs, ConfigRole.Producer, 60_000, 0),
        ConfigProperty.Int(MaxRequestSize, ConfigRole.Producer, 1_048_576, 1),

        ConfigProperty.Text(GroupId, ConfigRole.Consumer, null),
        ConfigProperty.Choice(AutoOffsetReset, ConfigRole.Consumer, "latest", "earliest", "latest", "none"),
        ConfigProperty.Int(FetchMinBytes, ConfigRole.Consumer, 1, 0),
        ConfigProperty.Int(FetchMaxWaitMs, ConfigRole.Consumer, 500, 0),
        ConfigProperty.Int(MaxPartitionFetchBytes, ConfigRole.Consumer, 1_048_576, 1),
        ConfigProperty.Int(FetchMaxBytes, ConfigRole.Consumer, 52_428_800, 1),
        ConfigProperty.Bool(EnablePartitionEof, ConfigRole.Consumer, false),
        ConfigProperty.Bool(CheckCrcs, ConfigRole.Consumer, true),
        ConfigProperty.Int(QueuedMaxMessagesKbytes, ConfigRole.Consumer, 65_536, 1, 2_097_151),
        ConfigProperty.Int(SessionTimeoutMs, ConfigRole.Consumer, 45_000, 1),
        ConfigProperty.Bool(EnableAutoCommit, ConfigRole.Consumer, true),
        ConfigProperty.Int(AutoCommitIntervalMs, ConfigRole.Consumer, 5_000, 0),
        ConfigProperty.Text(GroupInstanceId, ConfigRole.Consumer, null, NotEmpty),
        ConfigProperty.Int(MaxPollIntervalMs, ConfigRole.Consumer, 300_000, 1),
        ConfigProperty.Bool(EnableAutoOffsetStore, ConfigRole.Consumer, true),
        ConfigProperty.Text(GroupRemoteAssignor, ConfigRole.Consumer, null, Assignor));

    public static ConfigProperty? Find(string name) => _all.GetValueOrDefault(name);

    public static IEnumerable<ConfigProperty> All => _all.Values;

    private static string? NotEmpty(string value) => string.IsNullOrWhiteSpace(value) ? "must not be empty" : null;

    // Unset means the group coordinator's default assignor.
    private static string? Assignor(string value) => value is "uniform" or "range" ? null : "must be uniform or range";

    private static Dictionary<string, ConfigProperty> Index(params ConfigProperty[] properties)
    {
        var index = new Dictionary<string, ConfigProperty>(StringComparer.Ordinal);
        foreach (var property in properties)
        {
            index.Add(property.Name, property);
        }
        return index;
    }
}
