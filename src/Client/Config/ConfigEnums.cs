namespace Orlog.Client;

/// <summary>The values of a Kafka client setting (Confluent.Kafka's enum), written as the setting's text by <see cref="ConfigValues"/>.</summary>
public enum SaslMechanism
{
    Gssapi,
    Plain,
    ScramSha256,
    ScramSha512,
    OAuthBearer,
}

/// <summary>The values of a Kafka client setting (Confluent.Kafka's enum), written as the setting's text by <see cref="ConfigValues"/>.</summary>
public enum MetadataRecoveryStrategy
{
    None,
    Rebootstrap,
}

/// <summary>The values of a Kafka client setting (Confluent.Kafka's enum), written as the setting's text by <see cref="ConfigValues"/>.</summary>
public enum BrokerAddressFamily
{
    Any,
    V4,
    V6,
}

/// <summary>The values of a Kafka client setting (Confluent.Kafka's enum), written as the setting's text by <see cref="ConfigValues"/>.</summary>
public enum SecurityProtocol
{
    Plaintext,
    Ssl,
    SaslPlaintext,
    SaslSsl,
}

/// <summary>The values of a Kafka client setting (Confluent.Kafka's enum), written as the setting's text by <see cref="ConfigValues"/>.</summary>
public enum SslEndpointIdentificationAlgorithm
{
    None,
    Https,
}

/// <summary>The values of a Kafka client setting (Confluent.Kafka's enum), written as the setting's text by <see cref="ConfigValues"/>.</summary>
public enum SaslOauthbearerMethod
{
    Default,
    Oidc,
}

/// <summary>The values of a Kafka client setting (Confluent.Kafka's enum), written as the setting's text by <see cref="ConfigValues"/>.</summary>
public enum SaslOauthbearerGrantType
{
    ClientCredentials,
    JwtBearer,
}

/// <summary>The values of a Kafka client setting (Confluent.Kafka's enum), written as the setting's text by <see cref="ConfigValues"/>.</summary>
public enum SaslOauthbearerAssertionAlgorithm
{
    RS256,
    ES256,
}

/// <summary>The values of a Kafka client setting (Confluent.Kafka's enum), written as the setting's text by <see cref="ConfigValues"/>.</summary>
public enum SaslOauthbearerMetadataAuthenticationType
{
    None,
    AzureIMDS,
    AwsIam,
}

/// <summary>The values of a Kafka client setting (Confluent.Kafka's enum), written as the setting's text by <see cref="ConfigValues"/>.</summary>
public enum ClientDnsLookup
{
    UseAllDnsIps,
    ResolveCanonicalBootstrapServersOnly,
}

/// <summary>The values of a Kafka client setting (Confluent.Kafka's enum), written as the setting's text by <see cref="ConfigValues"/>.</summary>
public enum Partitioner
{
    Random,
    Consistent,
    ConsistentRandom,
    Murmur2,
    Murmur2Random,
}

/// <summary>The values of a Kafka client setting (Confluent.Kafka's enum), written as the setting's text by <see cref="ConfigValues"/>.</summary>
public enum PartitionAssignmentStrategy
{
    Range,
    RoundRobin,
    CooperativeSticky,
}

/// <summary>The values of a Kafka client setting (Confluent.Kafka's enum), written as the setting's text by <see cref="ConfigValues"/>.</summary>
public enum GroupProtocol
{
    Classic,
    Consumer,
}

/// <summary>The values of a Kafka client setting (Confluent.Kafka's enum), written as the setting's text by <see cref="ConfigValues"/>.</summary>
public enum IsolationLevel
{
    ReadUncommitted,
    ReadCommitted,
}

/// <summary>The text each enum value stands for in a setting (the names Kafka's clients use), and back.</summary>
internal static class ConfigValues
{
    public static string Text(Enum value) => value switch
    {
        SaslMechanism.Gssapi => "GSSAPI",
        SaslMechanism.Plain => "PLAIN",
        SaslMechanism.ScramSha256 => "SCRAM-SHA-256",
        SaslMechanism.ScramSha512 => "SCRAM-SHA-512",
        SaslMechanism.OAuthBearer => "OAUTHBEARER",
        Acks.None => "0",
        Acks.Leader => "1",
        Acks.All => "-1",
        MetadataRecoveryStrategy.None => "none",
        MetadataRecoveryStrategy.Rebootstrap => "rebootstrap",
        BrokerAddressFamily.Any => "any",
        BrokerAddressFamily.V4 => "v4",
        BrokerAddressFamily.V6 => "v6",
        SecurityProtocol.Plaintext => "plaintext",
        SecurityProtocol.Ssl => "ssl",
        SecurityProtocol.SaslPlaintext => "sasl_plaintext",
        SecurityProtocol.SaslSsl => "sasl_ssl",
        SslEndpointIdentificationAlgorithm.None => "none",
        SslEndpointIdentificationAlgorithm.Https => "https",
        SaslOauthbearerMethod.Default => "default",
        SaslOauthbearerMethod.Oidc => "oidc",
        SaslOauthbearerGrantType.ClientCredentials => "clientcredentials",
        SaslOauthbearerGrantType.JwtBearer => "jwtbearer",
        SaslOauthbearerAssertionAlgorithm.RS256 => "rs256",
        SaslOauthbearerAssertionAlgorithm.ES256 => "es256",
        SaslOauthbearerMetadataAuthenticationType.None => "none",
        SaslOauthbearerMetadataAuthenticationType.AzureIMDS => "azure_imds",
        SaslOauthbearerMetadataAuthenticationType.AwsIam => "aws_iam",
        ClientDnsLookup.UseAllDnsIps => "use_all_dns_ips",
        ClientDnsLookup.ResolveCanonicalBootstrapServersOnly => "resolve_canonical_bootstrap_servers_only",
        Partitioner.Random => "random",
        Partitioner.Consistent => "consistent",
        Partitioner.ConsistentRandom => "consistent_random",
        Partitioner.Murmur2 => "murmur2",
        Partitioner.Murmur2Random => "murmur2_random",
        CompressionType.None => "none",
        CompressionType.Gzip => "gzip",
        CompressionType.Snappy => "snappy",
        CompressionType.Lz4 => "lz4",
        CompressionType.Zstd => "zstd",
        AutoOffsetReset.Latest => "latest",
        AutoOffsetReset.Earliest => "earliest",
        AutoOffsetReset.Error => "error",
        PartitionAssignmentStrategy.Range => "range",
        PartitionAssignmentStrategy.RoundRobin => "roundrobin",
        PartitionAssignmentStrategy.CooperativeSticky => "cooperative-sticky",
        GroupProtocol.Classic => "classic",
        GroupProtocol.Consumer => "consumer",
        IsolationLevel.ReadUncommitted => "read_uncommitted",
        IsolationLevel.ReadCommitted => "read_committed",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Not a value of a setting."),
    };

    /// <summary>The enum value a setting's text stands for (compared without case), or null.</summary>
    public static T? Parse<T>(string? text)
        where T : struct, Enum
    {
        if (text is null)
        {
            return null;
        }
        foreach (var value in Enum.GetValues<T>())
        {
            if (string.Equals(Text(value), text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        return null;
    }
}
