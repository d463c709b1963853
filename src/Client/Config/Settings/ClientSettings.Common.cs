namespace Orlog.Client;

/// <summary>Settings every client takes.</summary>
internal static partial class ClientSettings
{
    private const string OrleansConnections =
        "Orlog's client reaches the silos over Orleans gateway connections, which Orleans opens, keeps alive and reconnects itself.";

    private const string GrainCalls = "Orlog's SDK calls the silos' grains through Orleans; there is no Kafka wire protocol to negotiate or tune.";

    private const string LoggingWhy = "Orlog's clients log through Microsoft.Extensions.Logging: set the level of the Orlog.Client categories (SetLoggerFactory).";

    private const string MetricsWhy = "Orlog's clients publish metrics on the Orlog.Client meter (System.Diagnostics.Metrics); the silos serve theirs at /metrics.";

    private const string CApiWhy = "A librdkafka C API hook; in Orlog, use the builder's handlers and serializers instead.";

    public static readonly ClientSetting BootstrapServers = new()
    {
        Name = "bootstrap.servers",
        Aliases = ["metadata.broker.list"],
        Scope = SettingScope.Common,
        Kind = SettingKind.List,
        Default = "127.0.0.1:30000",
        Check = BootstrapEndpoints.Check,
        Description = "The silos' Orleans gateways to connect to, host:port[,host:port...] (30000 is the gateway port of the embedded silo).",
    };

    public static readonly ClientSetting ClientId = new()
    {
        Name = "client.id",
        Scope = SettingScope.Common,
        Kind = SettingKind.Text,
        Default = "orlog",
        Description = "A name for the client in logs and in the group's member descriptions.",
    };

    public static readonly ClientSetting RequestTimeoutMs = new()
    {
        Name = "request.timeout.ms",
        Scope = SettingScope.Common,
        Kind = SettingKind.Int,
        Default = "30000",
        Min = 1,
        Description = "How long one call to the cluster may take before the client gives up on its answer and retries or fails.",
    };

    public static readonly ClientSetting ConnectTimeoutMs = new()
    {
        Name = "socket.connection.setup.timeout.ms",
        Scope = SettingScope.Common,
        Kind = SettingKind.Int,
        Default = "10000",
        Min = 1,
        Description = "How long connecting to the cluster may take when the client starts.",
    };

    public static readonly ClientSetting RetryBackoffMs = new()
    {
        Name = "retry.backoff.ms",
        Scope = SettingScope.Common,
        Kind = SettingKind.Int,
        Default = "100",
        Min = 0,
        Description = "The wait before a failed call (a produce, a fetch, a heartbeat, a metadata read) is tried again.",
    };

    public static readonly ClientSetting StatisticsIntervalMs = new()
    {
        Name = "statistics.interval.ms",
        Scope = SettingScope.Common,
        Kind = SettingKind.Int,
        Default = "0",
        Min = 0,
        Max = 86400000,
        Description = "How often the statistics handler (SetStatisticsHandler) gets a JSON document of the client's statistics, in librdkafka's shape; 0 turns it off.",
    };

    public static readonly ClientSetting MetadataMaxAgeMs = new()
    {
        Name = "metadata.max.age.ms",
        Scope = SettingScope.Common,
        Kind = SettingKind.Int,
        Default = "300000",
        Min = 1,
        Description = "How long cached topic metadata is trusted before it is read again (it is read again at once after an error that calls for it).",
    };

    public static readonly ClientSetting SecurityProtocol = new()
    {
        Name = "security.protocol",
        Scope = SettingScope.Common,
        Kind = SettingKind.Choice,
        Choices = ["plaintext", "ssl", "sasl_plaintext", "sasl_ssl"],
        Default = "plaintext",
        Refuse = value => value == "plaintext" ? null
            : "Orlog has no TLS or authentication yet. Use security.protocol=plaintext and keep the silos' gateway and Kafka ports on a private network.",
        Description = "Only plaintext: the client's Orleans gateway connections are neither encrypted nor authenticated.",
    };

    public static readonly ClientSetting OrleansClusterId = new()
    {
        Name = "orleans.cluster.id",
        Scope = SettingScope.Common,
        Kind = SettingKind.Text,
        Default = "orlog",
        Check = NotEmpty,
        Description = "Orlog's own: the Orleans cluster id of the silos.",
    };

    public static readonly ClientSetting OrleansServiceId = new()
    {
        Name = "orleans.service.id",
        Scope = SettingScope.Common,
        Kind = SettingKind.Text,
        Default = "orlog",
        Check = NotEmpty,
        Description = "Orlog's own: the Orleans service id of the silos.",
    };

    public static readonly ClientSetting OrleansGatewayListRefreshMs = new()
    {
        Name = "orleans.gateway.list.refresh.ms",
        Scope = SettingScope.Common,
        Kind = SettingKind.Int,
        Default = "2000",
        Min = 100,
        Max = 600_000,
        Description = "Orlog's own: how often the client asks which silos' gateways are alive, and moves off a gateway whose silo died.",
    };

    private static IEnumerable<ClientSetting> Common()
    {
        yield return BootstrapServers;
        yield return ClientId;
        yield return RequestTimeoutMs;
        yield return ConnectTimeoutMs;
        yield return RetryBackoffMs;
        yield return StatisticsIntervalMs;
        yield return MetadataMaxAgeMs;
        yield return SecurityProtocol;
        yield return OrleansClusterId;
        yield return OrleansServiceId;
        yield return OrleansGatewayListRefreshMs;
        foreach (var setting in NoEffect(SettingScope.Common, OrleansConnections,
            ("socket.timeout.ms", SettingKind.Int, "librdkafka's timeout of network requests (Orlog: request.timeout.ms)."),
            ("socket.send.buffer.bytes", SettingKind.Int, "librdkafka's socket send buffer size."),
            ("socket.receive.buffer.bytes", SettingKind.Int, "librdkafka's socket receive buffer size."),
            ("send.buffer.bytes", SettingKind.Int, "The Java client's socket send buffer size."),
            ("receive.buffer.bytes", SettingKind.Int, "The Java client's socket receive buffer size."),
            ("socket.keepalive.enable", SettingKind.Bool, "TCP keep-alive on broker sockets."),
            ("socket.nagle.disable", SettingKind.Bool, "Nagle's algorithm on broker sockets."),
            ("socket.max.fails", SettingKind.Int, "Send failures before a broker connection is closed."),
            ("socket.blocking.max.ms", SettingKind.Int, "librdkafka's internal socket wait."),
            ("socket.connection.setup.timeout.max.ms", SettingKind.Long, "The Java client's largest connection setup timeout."),
            ("connections.max.idle.ms", SettingKind.Long, "Idle broker connections are closed after this long."),
            ("reconnect.backoff.ms", SettingKind.Long, "The first wait before reconnecting to a broker."),
            ("reconnect.backoff.max.ms", SettingKind.Long, "The longest wait before reconnecting to a broker."),
            ("reconnect.backoff.jitter.ms", SettingKind.Int, "Jitter added to reconnect waits."),
            ("broker.address.ttl", SettingKind.Int, "How long resolved broker addresses are cached."),
            ("broker.address.family", SettingKind.Choice, "The IP family used to reach brokers."),
            ("client.dns.lookup", SettingKind.Choice, "How broker host names are resolved."),
            ("enable.random.seed", SettingKind.Bool, "librdkafka seeds the C random generator."),
            ("metadata.recovery.strategy", SettingKind.Choice, "What the client does when no known broker answers."),
            ("metadata.recovery.rebootstrap.trigger.ms", SettingKind.Int, "When the client starts over from bootstrap.servers."),
            ("retry.backoff.max.ms", SettingKind.Long, "The longest exponential retry wait (Orlog waits retry.backoff.ms each time).")))
        {
            yield return setting;
        }
        foreach (var setting in NoEffect(SettingScope.Common, GrainCalls,
            ("api.version.request", SettingKind.Bool, "Ask brokers which protocol versions they support."),
            ("api.version.request.timeout.ms", SettingKind.Int, "The timeout of that request."),
            ("api.version.fallback.ms", SettingKind.Int, "How long a failed version request is remembered."),
            ("broker.version.fallback", SettingKind.Text, "The broker version assumed without a version request."),
            ("message.copy.max.bytes", SettingKind.Int, "Records up to this size are copied into librdkafka's buffers."),
            ("receive.message.max.bytes", SettingKind.Int, "The largest response librdkafka reads."),
            ("topic.metadata.refresh.interval.ms", SettingKind.Int, "librdkafka's metadata refresh period (Orlog: metadata.max.age.ms)."),
            ("topic.metadata.refresh.fast.interval.ms", SettingKind.Int, "librdkafka's refresh period while a leader is unknown."),
            ("topic.metadata.refresh.fast.cnt", SettingKind.Int, "librdkafka's number of fast refreshes."),
            ("topic.metadata.refresh.sparse", SettingKind.Bool, "librdkafka asks metadata only for topics in use."),
            ("topic.metadata.propagation.max.ms", SettingKind.Int, "How long a topic missing from metadata is waited for."),
            ("topic.blacklist", SettingKind.List, "Topics hidden from metadata."),
            ("metadata.max.idle.ms", SettingKind.Long, "The Java producer forgets metadata of topics it stopped using.")))
        {
            yield return setting;
        }
        foreach (var setting in NoEffect(SettingScope.Common, LoggingWhy,
            ("debug", SettingKind.List, "librdkafka's debug contexts."),
            ("log_level", SettingKind.Int, "librdkafka's syslog level."),
            ("log.queue", SettingKind.Bool, "librdkafka's logs go through a queue."),
            ("log.thread.name", SettingKind.Bool, "Thread names in librdkafka's logs."),
            ("log.connection.close", SettingKind.Bool, "Log closed broker connections.")))
        {
            yield return setting;
        }
        foreach (var setting in NoEffect(SettingScope.Common, MetricsWhy,
            ("enable.metrics.push", SettingKind.Bool, "Push client metrics to the broker (KIP-714)."),
            ("metric.reporters", SettingKind.List, "The Java client's metrics reporters."),
            ("metrics.num.samples", SettingKind.Int, "The Java client's metric samples."),
            ("metrics.recording.level", SettingKind.Choice, "The Java client's metric recording level."),
            ("metrics.sample.window.ms", SettingKind.Long, "The Java client's metric sample window."),
            ("auto.include.jmx.reporter", SettingKind.Bool, "The Java client's JMX reporter.")))
        {
            yield return setting;
        }
        foreach (var setting in NoEffect(SettingScope.Common, CApiWhy,
            ("background_event_cb", SettingKind.Text, "librdkafka's background event callback."),
            ("closesocket_cb", SettingKind.Text, "librdkafka's socket close callback."),
            ("connect_cb", SettingKind.Text, "librdkafka's socket connect callback."),
            ("default_topic_conf", SettingKind.Text, "librdkafka's default topic configuration object."),
            ("enabled_events", SettingKind.Int, "librdkafka's event mask."),
            ("error_cb", SettingKind.Text, "librdkafka's error callback (Orlog: SetErrorHandler)."),
            ("interceptors", SettingKind.Text, "librdkafka's interceptors."),
            ("internal.termination.signal", SettingKind.Int, "librdkafka's termination signal."),
            ("log_cb", SettingKind.Text, "librdkafka's log callback (Orlog: SetLogHandler or SetLoggerFactory)."),
            ("oauthbearer_token_refresh_cb", SettingKind.Text, "librdkafka's token refresh callback."),
            ("opaque", SettingKind.Text, "librdkafka's application pointer."),
            ("open_cb", SettingKind.Text, "librdkafka's file open callback."),
            ("plugin.library.paths", SettingKind.List, "librdkafka plugins to load."),
            ("resolve_cb", SettingKind.Text, "librdkafka's address resolution callback."),
            ("socket_cb", SettingKind.Text, "librdkafka's socket creation callback."),
            ("stats_cb", SettingKind.Text, "librdkafka's statistics callback."),
            ("throttle_cb", SettingKind.Text, "librdkafka's throttle callback."),
            ("builtin.features", SettingKind.List, "librdkafka's built-in features (read only)."),
            ("interceptor.classes", SettingKind.List, "The Java client's interceptor classes.")))
        {
            yield return setting;
        }
        yield return NoEffect("client.rack", SettingScope.Common, SettingKind.Text, "The client's rack, for fetching from a replica in the same rack.",
            "Orlog fetches from each partition's leader only; there is no follower fetching to pick a rack for.");
        yield return NoEffect("allow.auto.create.topics", SettingScope.Common, SettingKind.Bool, "Create a topic when a client first uses it.",
            "Orlog's clients never create topics on use: create them with the admin client or `orlog topics create`.");
    }

    private static string? NotEmpty(string value) => string.IsNullOrWhiteSpace(value) ? "must not be empty" : null;
}
