namespace Orlog.Client;

/// <summary>Confluent.Kafka's typed properties of this config, each a Kafka setting of <see cref="ClientSettings"/> (null: not set).</summary>
public partial class ClientConfig
{
    /// <summary><c>sasl.mechanism</c>: see docs/configuration.md.</summary>
    public SaslMechanism? SaslMechanism
    {
        get => ConfigValues.Parse<SaslMechanism>(Get("sasl.mechanism"));
        set => SetNullable("sasl.mechanism", value);
    }

    /// <summary><c>message.max.bytes</c>: see docs/configuration.md.</summary>
    public int? MessageMaxBytes
    {
        get => GetNullableInt("message.max.bytes");
        set => SetNullable("message.max.bytes", value);
    }

    /// <summary><c>message.copy.max.bytes</c>: see docs/configuration.md.</summary>
    public int? MessageCopyMaxBytes
    {
        get => GetNullableInt("message.copy.max.bytes");
        set => SetNullable("message.copy.max.bytes", value);
    }

    /// <summary><c>receive.message.max.bytes</c>: see docs/configuration.md.</summary>
    public int? ReceiveMessageMaxBytes
    {
        get => GetNullableInt("receive.message.max.bytes");
        set => SetNullable("receive.message.max.bytes", value);
    }

    /// <summary><c>metadata.recovery.strategy</c>: see docs/configuration.md.</summary>
    public MetadataRecoveryStrategy? MetadataRecoveryStrategy
    {
        get => ConfigValues.Parse<MetadataRecoveryStrategy>(Get("metadata.recovery.strategy"));
        set => SetNullable("metadata.recovery.strategy", value);
    }

    /// <summary><c>metadata.recovery.rebootstrap.trigger.ms</c>: see docs/configuration.md.</summary>
    public int? MetadataRecoveryRebootstrapTriggerMs
    {
        get => GetNullableInt("metadata.recovery.rebootstrap.trigger.ms");
        set => SetNullable("metadata.recovery.rebootstrap.trigger.ms", value);
    }

    /// <summary><c>topic.metadata.refresh.interval.ms</c>: see docs/configuration.md.</summary>
    public int? TopicMetadataRefreshIntervalMs
    {
        get => GetNullableInt("topic.metadata.refresh.interval.ms");
        set => SetNullable("topic.metadata.refresh.interval.ms", value);
    }

    /// <summary><c>topic.metadata.refresh.fast.interval.ms</c>: see docs/configuration.md.</summary>
    public int? TopicMetadataRefreshFastIntervalMs
    {
        get => GetNullableInt("topic.metadata.refresh.fast.interval.ms");
        set => SetNullable("topic.metadata.refresh.fast.interval.ms", value);
    }

    /// <summary><c>topic.metadata.refresh.sparse</c>: see docs/configuration.md.</summary>
    public bool? TopicMetadataRefreshSparse
    {
        get => GetNullableBool("topic.metadata.refresh.sparse");
        set => SetNullable("topic.metadata.refresh.sparse", value);
    }

    /// <summary><c>topic.metadata.propagation.max.ms</c>: see docs/configuration.md.</summary>
    public int? TopicMetadataPropagationMaxMs
    {
        get => GetNullableInt("topic.metadata.propagation.max.ms");
        set => SetNullable("topic.metadata.propagation.max.ms", value);
    }

    /// <summary><c>topic.blacklist</c>: see docs/configuration.md.</summary>
    public string? TopicBlacklist
    {
        get => Get("topic.blacklist");
        set => SetNullable("topic.blacklist", value);
    }

    /// <summary><c>debug</c>: see docs/configuration.md.</summary>
    public string? Debug
    {
        get => Get("debug");
        set => SetNullable("debug", value);
    }

    /// <summary><c>socket.timeout.ms</c>: see docs/configuration.md.</summary>
    public int? SocketTimeoutMs
    {
        get => GetNullableInt("socket.timeout.ms");
        set => SetNullable("socket.timeout.ms", value);
    }

    /// <summary><c>socket.send.buffer.bytes</c>: see docs/configuration.md.</summary>
    public int? SocketSendBufferBytes
    {
        get => GetNullableInt("socket.send.buffer.bytes");
        set => SetNullable("socket.send.buffer.bytes", value);
    }

    /// <summary><c>socket.receive.buffer.bytes</c>: see docs/configuration.md.</summary>
    public int? SocketReceiveBufferBytes
    {
        get => GetNullableInt("socket.receive.buffer.bytes");
        set => SetNullable("socket.receive.buffer.bytes", value);
    }

    /// <summary><c>socket.keepalive.enable</c>: see docs/configuration.md.</summary>
    public bool? SocketKeepaliveEnable
    {
        get => GetNullableBool("socket.keepalive.enable");
        set => SetNullable("socket.keepalive.enable", value);
    }

    /// <summary><c>socket.nagle.disable</c>: see docs/configuration.md.</summary>
    public bool? SocketNagleDisable
    {
        get => GetNullableBool("socket.nagle.disable");
        set => SetNullable("socket.nagle.disable", value);
    }

    /// <summary><c>socket.max.fails</c>: see docs/configuration.md.</summary>
    public int? SocketMaxFails
    {
        get => GetNullableInt("socket.max.fails");
        set => SetNullable("socket.max.fails", value);
    }

    /// <summary><c>broker.address.ttl</c>: see docs/configuration.md.</summary>
    public int? BrokerAddressTtl
    {
        get => GetNullableInt("broker.address.ttl");
        set => SetNullable("broker.address.ttl", value);
    }

    /// <summary><c>broker.address.family</c>: see docs/configuration.md.</summary>
    public BrokerAddressFamily? BrokerAddressFamily
    {
        get => ConfigValues.Parse<BrokerAddressFamily>(Get("broker.address.family"));
        set => SetNullable("broker.address.family", value);
    }

    /// <summary><c>connections.max.idle.ms</c>: see docs/configuration.md.</summary>
    public int? ConnectionsMaxIdleMs
    {
        get => GetNullableInt("connections.max.idle.ms");
        set => SetNullable("connections.max.idle.ms", value);
    }

    /// <summary><c>reconnect.backoff.ms</c>: see docs/configuration.md.</summary>
    public int? ReconnectBackoffMs
    {
        get => GetNullableInt("reconnect.backoff.ms");
        set => SetNullable("reconnect.backoff.ms", value);
    }

    /// <summary><c>reconnect.backoff.max.ms</c>: see docs/configuration.md.</summary>
    public int? ReconnectBackoffMaxMs
    {
        get => GetNullableInt("reconnect.backoff.max.ms");
        set => SetNullable("reconnect.backoff.max.ms", value);
    }

    /// <summary><c>statistics.interval.ms</c>: see docs/configuration.md.</summary>
    public int? StatisticsIntervalMs
    {
        get => GetNullableInt("statistics.interval.ms");
        set => SetNullable("statistics.interval.ms", value);
    }

    /// <summary><c>log.queue</c>: see docs/configuration.md.</summary>
    public bool? LogQueue
    {
        get => GetNullableBool("log.queue");
        set => SetNullable("log.queue", value);
    }

    /// <summary><c>log.thread.name</c>: see docs/configuration.md.</summary>
    public bool? LogThreadName
    {
        get => GetNullableBool("log.thread.name");
        set => SetNullable("log.thread.name", value);
    }

    /// <summary><c>enable.random.seed</c>: see docs/configuration.md.</summary>
    public bool? EnableRandomSeed
    {
        get => GetNullableBool("enable.random.seed");
        set => SetNullable("enable.random.seed", value);
    }

    /// <summary><c>log.connection.close</c>: see docs/configuration.md.</summary>
    public bool? LogConnectionClose
    {
        get => GetNullableBool("log.connection.close");
        set => SetNullable("log.connection.close", value);
    }

    /// <summary><c>internal.termination.signal</c>: see docs/configuration.md.</summary>
    public int? InternalTerminationSignal
    {
        get => GetNullableInt("internal.termination.signal");
        set => SetNullable("internal.termination.signal", value);
    }

    /// <summary><c>api.version.request</c>: see docs/configuration.md.</summary>
    public bool? ApiVersionRequest
    {
        get => GetNullableBool("api.version.request");
        set => SetNullable("api.version.request", value);
    }

    /// <summary><c>api.version.request.timeout.ms</c>: see docs/configuration.md.</summary>
    public int? ApiVersionRequestTimeoutMs
    {
        get => GetNullableInt("api.version.request.timeout.ms");
        set => SetNullable("api.version.request.timeout.ms", value);
    }

    /// <summary><c>api.version.fallback.ms</c>: see docs/configuration.md.</summary>
    public int? ApiVersionFallbackMs
    {
        get => GetNullableInt("api.version.fallback.ms");
        set => SetNullable("api.version.fallback.ms", value);
    }

    /// <summary><c>broker.version.fallback</c>: see docs/configuration.md.</summary>
    public string? BrokerVersionFallback
    {
        get => Get("broker.version.fallback");
        set => SetNullable("broker.version.fallback", value);
    }

    /// <summary><c>allow.auto.create.topics</c>: see docs/configuration.md.</summary>
    public bool? AllowAutoCreateTopics
    {
        get => GetNullableBool("allow.auto.create.topics");
        set => SetNullable("allow.auto.create.topics", value);
    }

    /// <summary><c>security.protocol</c>: see docs/configuration.md.</summary>
    public SecurityProtocol? SecurityProtocol
    {
        get => ConfigValues.Parse<SecurityProtocol>(Get("security.protocol"));
        set => SetNullable("security.protocol", value);
    }

    /// <summary><c>ssl.cipher.suites</c>: see docs/configuration.md.</summary>
    public string? SslCipherSuites
    {
        get => Get("ssl.cipher.suites");
        set => SetNullable("ssl.cipher.suites", value);
    }

    /// <summary><c>ssl.curves.list</c>: see docs/configuration.md.</summary>
    public string? SslCurvesList
    {
        get => Get("ssl.curves.list");
        set => SetNullable("ssl.curves.list", value);
    }

    /// <summary><c>ssl.sigalgs.list</c>: see docs/configuration.md.</summary>
    public string? SslSigalgsList
    {
        get => Get("ssl.sigalgs.list");
        set => SetNullable("ssl.sigalgs.list", value);
    }

    /// <summary><c>ssl.key.location</c>: see docs/configuration.md.</summary>
    public string? SslKeyLocation
    {
        get => Get("ssl.key.location");
        set => SetNullable("ssl.key.location", value);
    }

    /// <summary><c>ssl.key.password</c>: see docs/configuration.md.</summary>
    public string? SslKeyPassword
    {
        get => Get("ssl.key.password");
        set => SetNullable("ssl.key.password", value);
    }

    /// <summary><c>ssl.key.pem</c>: see docs/configuration.md.</summary>
    public string? SslKeyPem
    {
        get => Get("ssl.key.pem");
        set => SetNullable("ssl.key.pem", value);
    }

    /// <summary><c>ssl.certificate.location</c>: see docs/configuration.md.</summary>
    public string? SslCertificateLocation
    {
        get => Get("ssl.certificate.location");
        set => SetNullable("ssl.certificate.location", value);
    }

    /// <summary><c>ssl.certificate.pem</c>: see docs/configuration.md.</summary>
    public string? SslCertificatePem
    {
        get => Get("ssl.certificate.pem");
        set => SetNullable("ssl.certificate.pem", value);
    }

    /// <summary><c>ssl.ca.location</c>: see docs/configuration.md.</summary>
    public string? SslCaLocation
    {
        get => Get("ssl.ca.location");
        set => SetNullable("ssl.ca.location", value);
    }

    /// <summary><c>https.ca.location</c>: see docs/configuration.md.</summary>
    public string? HttpsCaLocation
    {
        get => Get("https.ca.location");
        set => SetNullable("https.ca.location", value);
    }

    /// <summary><c>https.ca.pem</c>: see docs/configuration.md.</summary>
    public string? HttpsCaPem
    {
        get => Get("https.ca.pem");
        set => SetNullable("https.ca.pem", value);
    }

    /// <summary><c>ssl.ca.pem</c>: see docs/configuration.md.</summary>
    public string? SslCaPem
    {
        get => Get("ssl.ca.pem");
        set => SetNullable("ssl.ca.pem", value);
    }

    /// <summary><c>ssl.ca.certificate.stores</c>: see docs/configuration.md.</summary>
    public string? SslCaCertificateStores
    {
        get => Get("ssl.ca.certificate.stores");
        set => SetNullable("ssl.ca.certificate.stores", value);
    }

    /// <summary><c>ssl.crl.location</c>: see docs/configuration.md.</summary>
    public string? SslCrlLocation
    {
        get => Get("ssl.crl.location");
        set => SetNullable("ssl.crl.location", value);
    }

    /// <summary><c>ssl.keystore.location</c>: see docs/configuration.md.</summary>
    public string? SslKeystoreLocation
    {
        get => Get("ssl.keystore.location");
        set => SetNullable("ssl.keystore.location", value);
    }

    /// <summary><c>ssl.keystore.password</c>: see docs/configuration.md.</summary>
    public string? SslKeystorePassword
    {
        get => Get("ssl.keystore.password");
        set => SetNullable("ssl.keystore.password", value);
    }

    /// <summary><c>ssl.providers</c>: see docs/configuration.md.</summary>
    public string? SslProviders
    {
        get => Get("ssl.providers");
        set => SetNullable("ssl.providers", value);
    }

    /// <summary><c>ssl.engine.location</c>: see docs/configuration.md.</summary>
    public string? SslEngineLocation
    {
        get => Get("ssl.engine.location");
        set => SetNullable("ssl.engine.location", value);
    }

    /// <summary><c>ssl.engine.id</c>: see docs/configuration.md.</summary>
    public string? SslEngineId
    {
        get => Get("ssl.engine.id");
        set => SetNullable("ssl.engine.id", value);
    }

    /// <summary><c>enable.ssl.certificate.verification</c>: see docs/configuration.md.</summary>
    public bool? EnableSslCertificateVerification
    {
        get => GetNullableBool("enable.ssl.certificate.verification");
        set => SetNullable("enable.ssl.certificate.verification", value);
    }

    /// <summary><c>ssl.endpoint.identification.algorithm</c>: see docs/configuration.md.</summary>
    public SslEndpointIdentificationAlgorithm? SslEndpointIdentificationAlgorithm
    {
        get => ConfigValues.Parse<SslEndpointIdentificationAlgorithm>(Get("ssl.endpoint.identification.algorithm"));
        set => SetNullable("ssl.endpoint.identification.algorithm", value);
    }

    /// <summary><c>sasl.kerberos.service.name</c>: see docs/configuration.md.</summary>
    public string? SaslKerberosServiceName
    {
        get => Get("sasl.kerberos.service.name");
        set => SetNullable("sasl.kerberos.service.name", value);
    }

    /// <summary><c>sasl.kerberos.principal</c>: see docs/configuration.md.</summary>
    public string? SaslKerberosPrincipal
    {
        get => Get("sasl.kerberos.principal");
        set => SetNullable("sasl.kerberos.principal", value);
    }

    /// <summary><c>sasl.kerberos.kinit.cmd</c>: see docs/configuration.md.</summary>
    public string? SaslKerberosKinitCmd
    {
        get => Get("sasl.kerberos.kinit.cmd");
        set => SetNullable("sasl.kerberos.kinit.cmd", value);
    }

    /// <summary><c>sasl.kerberos.keytab</c>: see docs/configuration.md.</summary>
    public string? SaslKerberosKeytab
    {
        get => Get("sasl.kerberos.keytab");
        set => SetNullable("sasl.kerberos.keytab", value);
    }

    /// <summary><c>sasl.kerberos.min.time.before.relogin</c>: see docs/configuration.md.</summary>
    public int? SaslKerberosMinTimeBeforeRelogin
    {
        get => GetNullableInt("sasl.kerberos.min.time.before.relogin");
        set => SetNullable("sasl.kerberos.min.time.before.relogin", value);
    }

    /// <summary><c>sasl.username</c>: see docs/configuration.md.</summary>
    public string? SaslUsername
    {
        get => Get("sasl.username");
        set => SetNullable("sasl.username", value);
    }

    /// <summary><c>sasl.password</c>: see docs/configuration.md.</summary>
    public string? SaslPassword
    {
        get => Get("sasl.password");
        set => SetNullable("sasl.password", value);
    }

    /// <summary><c>sasl.oauthbearer.config</c>: see docs/configuration.md.</summary>
    public string? SaslOauthbearerConfig
    {
        get => Get("sasl.oauthbearer.config");
        set => SetNullable("sasl.oauthbearer.config", value);
    }

    /// <summary><c>enable.sasl.oauthbearer.unsecure.jwt</c>: see docs/configuration.md.</summary>
    public bool? EnableSaslOauthbearerUnsecureJwt
    {
        get => GetNullableBool("enable.sasl.oauthbearer.unsecure.jwt");
        set => SetNullable("enable.sasl.oauthbearer.unsecure.jwt", value);
    }

    /// <summary><c>sasl.oauthbearer.method</c>: see docs/configuration.md.</summary>
    public SaslOauthbearerMethod? SaslOauthbearerMethod
    {
        get => ConfigValues.Parse<SaslOauthbearerMethod>(Get("sasl.oauthbearer.method"));
        set => SetNullable("sasl.oauthbearer.method", value);
    }

    /// <summary><c>sasl.oauthbearer.client.id</c>: see docs/configuration.md.</summary>
    public string? SaslOauthbearerClientId
    {
        get => Get("sasl.oauthbearer.client.id");
        set => SetNullable("sasl.oauthbearer.client.id", value);
    }

    /// <summary><c>sasl.oauthbearer.client.secret</c>: see docs/configuration.md.</summary>
    public string? SaslOauthbearerClientSecret
    {
        get => Get("sasl.oauthbearer.client.secret");
        set => SetNullable("sasl.oauthbearer.client.secret", value);
    }

    /// <summary><c>sasl.oauthbearer.scope</c>: see docs/configuration.md.</summary>
    public string? SaslOauthbearerScope
    {
        get => Get("sasl.oauthbearer.scope");
        set => SetNullable("sasl.oauthbearer.scope", value);
    }

    /// <summary><c>sasl.oauthbearer.extensions</c>: see docs/configuration.md.</summary>
    public string? SaslOauthbearerExtensions
    {
        get => Get("sasl.oauthbearer.extensions");
        set => SetNullable("sasl.oauthbearer.extensions", value);
    }

    /// <summary><c>sasl.oauthbearer.token.endpoint.url</c>: see docs/configuration.md.</summary>
    public string? SaslOauthbearerTokenEndpointUrl
    {
        get => Get("sasl.oauthbearer.token.endpoint.url");
        set => SetNullable("sasl.oauthbearer.token.endpoint.url", value);
    }

    /// <summary><c>sasl.oauthbearer.sub.claim.name</c>: see docs/configuration.md.</summary>
    public string? SaslOauthbearerSubClaimName
    {
        get => Get("sasl.oauthbearer.sub.claim.name");
        set => SetNullable("sasl.oauthbearer.sub.claim.name", value);
    }

    /// <summary><c>sasl.oauthbearer.grant.type</c>: see docs/configuration.md.</summary>
    public SaslOauthbearerGrantType? SaslOauthbearerGrantType
    {
        get => ConfigValues.Parse<SaslOauthbearerGrantType>(Get("sasl.oauthbearer.grant.type"));
        set => SetNullable("sasl.oauthbearer.grant.type", value);
    }

    /// <summary><c>sasl.oauthbearer.assertion.algorithm</c>: see docs/configuration.md.</summary>
    public SaslOauthbearerAssertionAlgorithm? SaslOauthbearerAssertionAlgorithm
    {
        get => ConfigValues.Parse<SaslOauthbearerAssertionAlgorithm>(Get("sasl.oauthbearer.assertion.algorithm"));
        set => SetNullable("sasl.oauthbearer.assertion.algorithm", value);
    }

    /// <summary><c>sasl.oauthbearer.assertion.private.key.file</c>: see docs/configuration.md.</summary>
    public string? SaslOauthbearerAssertionPrivateKeyFile
    {
        get => Get("sasl.oauthbearer.assertion.private.key.file");
        set => SetNullable("sasl.oauthbearer.assertion.private.key.file", value);
    }

    /// <summary><c>sasl.oauthbearer.assertion.private.key.passphrase</c>: see docs/configuration.md.</summary>
    public string? SaslOauthbearerAssertionPrivateKeyPassphrase
    {
        get => Get("sasl.oauthbearer.assertion.private.key.passphrase");
        set => SetNullable("sasl.oauthbearer.assertion.private.key.passphrase", value);
    }

    /// <summary><c>sasl.oauthbearer.assertion.private.key.pem</c>: see docs/configuration.md.</summary>
    public string? SaslOauthbearerAssertionPrivateKeyPem
    {
        get => Get("sasl.oauthbearer.assertion.private.key.pem");
        set => SetNullable("sasl.oauthbearer.assertion.private.key.pem", value);
    }

    /// <summary><c>sasl.oauthbearer.assertion.file</c>: see docs/configuration.md.</summary>
    public string? SaslOauthbearerAssertionFile
    {
        get => Get("sasl.oauthbearer.assertion.file");
        set => SetNullable("sasl.oauthbearer.assertion.file", value);
    }

    /// <summary><c>sasl.oauthbearer.assertion.claim.aud</c>: see docs/configuration.md.</summary>
    public string? SaslOauthbearerAssertionClaimAud
    {
        get => Get("sasl.oauthbearer.assertion.claim.aud");
        set => SetNullable("sasl.oauthbearer.assertion.claim.aud", value);
    }

    /// <summary><c>sasl.oauthbearer.assertion.claim.exp.seconds</c>: see docs/configuration.md.</summary>
    public int? SaslOauthbearerAssertionClaimExpSeconds
    {
        get => GetNullableInt("sasl.oauthbearer.assertion.claim.exp.seconds");
        set => SetNullable("sasl.oauthbearer.assertion.claim.exp.seconds", value);
    }

    /// <summary><c>sasl.oauthbearer.assertion.claim.iss</c>: see docs/configuration.md.</summary>
    public string? SaslOauthbearerAssertionClaimIss
    {
        get => Get("sasl.oauthbearer.assertion.claim.iss");
        set => SetNullable("sasl.oauthbearer.assertion.claim.iss", value);
    }

    /// <summary><c>sasl.oauthbearer.assertion.claim.jti.include</c>: see docs/configuration.md.</summary>
    public bool? SaslOauthbearerAssertionClaimJtiInclude
    {
        get => GetNullableBool("sasl.oauthbearer.assertion.claim.jti.include");
        set => SetNullable("sasl.oauthbearer.assertion.claim.jti.include", value);
    }

    /// <summary><c>sasl.oauthbearer.assertion.claim.nbf.seconds</c>: see docs/configuration.md.</summary>
    public int? SaslOauthbearerAssertionClaimNbfSeconds
    {
        get => GetNullableInt("sasl.oauthbearer.assertion.claim.nbf.seconds");
        set => SetNullable("sasl.oauthbearer.assertion.claim.nbf.seconds", value);
    }

    /// <summary><c>sasl.oauthbearer.assertion.claim.sub</c>: see docs/configuration.md.</summary>
    public string? SaslOauthbearerAssertionClaimSub
    {
        get => Get("sasl.oauthbearer.assertion.claim.sub");
        set => SetNullable("sasl.oauthbearer.assertion.claim.sub", value);
    }

    /// <summary><c>sasl.oauthbearer.assertion.jwt.template.file</c>: see docs/configuration.md.</summary>
    public string? SaslOauthbearerAssertionJwtTemplateFile
    {
        get => Get("sasl.oauthbearer.assertion.jwt.template.file");
        set => SetNullable("sasl.oauthbearer.assertion.jwt.template.file", value);
    }

    /// <summary><c>sasl.oauthbearer.metadata.authentication.type</c>: see docs/configuration.md.</summary>
    public SaslOauthbearerMetadataAuthenticationType? SaslOauthbearerMetadataAuthenticationType
    {
        get => ConfigValues.Parse<SaslOauthbearerMetadataAuthenticationType>(Get("sasl.oauthbearer.metadata.authentication.type"));
        set => SetNullable("sasl.oauthbearer.metadata.authentication.type", value);
    }

    /// <summary><c>plugin.library.paths</c>: see docs/configuration.md.</summary>
    public string? PluginLibraryPaths
    {
        get => Get("plugin.library.paths");
        set => SetNullable("plugin.library.paths", value);
    }

    /// <summary><c>client.rack</c>: see docs/configuration.md.</summary>
    public string? ClientRack
    {
        get => Get("client.rack");
        set => SetNullable("client.rack", value);
    }

    /// <summary><c>retry.backoff.max.ms</c>: see docs/configuration.md.</summary>
    public int? RetryBackoffMaxMs
    {
        get => GetNullableInt("retry.backoff.max.ms");
        set => SetNullable("retry.backoff.max.ms", value);
    }

    /// <summary><c>client.dns.lookup</c>: see docs/configuration.md.</summary>
    public ClientDnsLookup? ClientDnsLookup
    {
        get => ConfigValues.Parse<ClientDnsLookup>(Get("client.dns.lookup"));
        set => SetNullable("client.dns.lookup", value);
    }

    /// <summary><c>enable.metrics.push</c>: see docs/configuration.md.</summary>
    public bool? EnableMetricsPush
    {
        get => GetNullableBool("enable.metrics.push");
        set => SetNullable("enable.metrics.push", value);
    }
}
