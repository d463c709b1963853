using System.Collections;
using System.Globalization;

namespace Orlog.Client;

/// <summary>
/// Settings shared by every Orlog client, by Kafka's client setting names (bootstrap.servers, client.id,
/// request.timeout.ms, ...). Typed properties read and write a string dictionary, so <c>-X key=value</c> pairs
/// from a command line map straight in through <see cref="Set"/>. A setting not given reads as its default.
/// </summary>
public class ClientConfig : IEnumerable<KeyValuePair<string, string>>
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>An empty configuration: every setting at its default.</summary>
    public ClientConfig()
    {
    }

    /// <summary>A configuration holding <paramref name="settings"/>, each checked as <see cref="Set"/> does.</summary>
    /// <exception cref="ArgumentException">A setting is unknown or its value is invalid; the message names it.</exception>
    public ClientConfig(IEnumerable<KeyValuePair<string, string>> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var (name, value) in settings)
        {
            Set(name, value);
        }
    }

    /// <summary>The gateways to connect to: <c>host:port[,host:port...]</c>.</summary>
    /// <value>Default <c>127.0.0.1:30000</c>.</value>
    public string BootstrapServers
    {
        get => GetString(ConfigProperties.BootstrapServers);
        set => Set(ConfigProperties.BootstrapServers, value);
    }

    /// <summary>A name for this client in logs.</summary>
    /// <value>Default <c>orlog</c>.</value>
    public string ClientId
    {
        get => GetString(ConfigProperties.ClientId);
        set => Set(ConfigProperties.ClientId, value);
    }

    /// <summary>How long one request to the cluster may take before the client gives up on its reply (request.timeout.ms).</summary>
    /// <value>Default 30000.</value>
    public int RequestTimeoutMs
    {
        get => GetInt(ConfigProperties.RequestTimeoutMs);
        set => SetInt(ConfigProperties.RequestTimeoutMs, value);
    }

    /// <summary>How long connecting to the cluster may take (socket.connection.setup.timeout.ms).</summary>
    /// <value>Default 10000.</value>
    public int SocketConnectionSetupTimeoutMs
    {
        get => GetInt(ConfigProperties.ConnectTimeoutMs);
        set => SetInt(ConfigProperties.ConnectTimeoutMs, value);
    }

    /// <summary>The wait before retrying a failed request (retry.backoff.ms).</summary>
    /// <value>Default 100.</value>
    public int RetryBackoffMs
    {
        get => GetInt(ConfigProperties.RetryBackoffMs);
        set => SetInt(ConfigProperties.RetryBackoffMs, value);
    }

    /// <summary>How long cached topic metadata is trusted before it is read again (metadata.max.age.ms).</summary>
    /// <value>Default 300000.</value>
    public int MetadataMaxAgeMs
    {
        get => GetInt(ConfigProperties.MetadataMaxAgeMs);
        set => SetInt(ConfigProperties.MetadataMaxAgeMs, value);
    }

    /// <summary>The Orleans cluster id of the silos (orleans.cluster.id).</summary>
    /// <value>Default <c>orlog</c>.</value>
    public string OrleansClusterId
    {
        get => GetString(ConfigProperties.ClusterId);
        set => Set(ConfigProperties.ClusterId, value);
    }

    /// <summary>The Orleans service id of the silos (orleans.service.id).</summary>
    /// <value>Default <c>orlog</c>.</value>
    public string OrleansServiceId
    {
        get => GetString(ConfigProperties.ServiceId);
        set => Set(ConfigProperties.ServiceId, value);
    }

    /// <summary>
    /// How often the client asks the cluster which brokers' gateways are alive, and moves its calls off a gateway
    /// whose silo Orleans declared dead (orleans.gateway.list.refresh.ms).
    /// </summary>
    /// <value>Default 2000.</value>
    public int OrleansGatewayListRefreshMs
    {
        get => GetInt(ConfigProperties.GatewayListRefreshMs);
        set => SetInt(ConfigProperties.GatewayListRefreshMs, value);
    }

    /// <summary>The client kinds whose settings this configuration takes.</summary>
    private protected virtual ConfigRole Role => ConfigRole.Common;

    /// <summary>Sets a setting by its Kafka name after checking the name and the value.</summary>
    /// <exception cref="ArgumentException">The name is unknown (or belongs to another kind of client), or the value is
    /// invalid; the message names the setting.</exception>
    public void Set(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        var property = ConfigProperties.Find(name)
            ?? throw new ArgumentException($"Unknown setting '{name}'. See the client settings in the Orlog docs.", nameof(name));
        if (property.Role != ConfigRole.Common && property.Role != Role)
        {
            throw new ArgumentException($"'{name}' is a {property.Role.ToString().ToLowerInvariant()} setting; this is a {KindName} configuration.", nameof(name));
        }
        value = value.Trim();
        if (property.Check(value) is { } problem)
        {
            throw new ArgumentException($"Setting '{name}' {problem} (got '{value}').", nameof(value));
        }
        _values[name] = value;
    }

    /// <summary>The value given for a setting, or null when it was not given (its default applies).</summary>
    public string? Get(string name) => _values.GetValueOrDefault(name);

    /// <summary>True when the setting was given explicitly.</summary>
    public bool IsSet(string name) => _values.ContainsKey(name);

    /// <summary>The settings given explicitly.</summary>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private protected string GetString(string name) => Get(name) ?? ConfigProperties.Find(name)?.Default ?? "";

    private protected int GetInt(string name) => int.Parse(GetString(name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private protected bool GetBool(string name) => GetString(name) == "true";

    private protected void SetInt(string name, int value) => Set(name, value.ToString(CultureInfo.InvariantCulture));

    private protected void SetBool(string name, bool value) => Set(name, value ? "true" : "false");

    private string KindName => Role == ConfigRole.Common ? "common client" : Role.ToString().ToLowerInvariant();
}
