using System.Collections;
using System.Globalization;

namespace Orlog.Client;

/// <summary>
/// Settings shared by every Orlog client, by Kafka's client setting names (bootstrap.servers, client.id,
/// request.timeout.ms, ...). Typed properties read and write a string dictionary, so <c>-X key=value</c> pairs
/// from a command line map straight in through <see cref="Set(string, string)"/>. A setting not given reads as its default.
/// </summary>
public partial class ClientConfig : IEnumerable<KeyValuePair<string, string>>
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>An empty configuration: every setting at its default.</summary>
    public ClientConfig()
    {
    }

    /// <summary>A configuration holding <paramref name="settings"/>, each checked as <see cref="Set(string, string)"/> does.</summary>
    /// <exception cref="ConfigException">A setting is unknown, its value is invalid, or Orlog refuses it; the message names it.</exception>
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
        get => Value(ClientSettings.BootstrapServers);
        set => Set(ClientSettings.BootstrapServers, value);
    }

    /// <summary>A name for this client in logs.</summary>
    /// <value>Default <c>orlog</c>.</value>
    public string ClientId
    {
        get => Value(ClientSettings.ClientId);
        set => Set(ClientSettings.ClientId, value);
    }

    /// <summary>How long one request to the cluster may take before the client gives up on its reply (request.timeout.ms).</summary>
    /// <value>Default 30000.</value>
    public int RequestTimeoutMs
    {
        get => Int(ClientSettings.RequestTimeoutMs);
        set => SetInt(ClientSettings.RequestTimeoutMs, value);
    }

    /// <summary>How long connecting to the cluster may take (socket.connection.setup.timeout.ms).</summary>
    /// <value>Default 10000.</value>
    public int SocketConnectionSetupTimeoutMs
    {
        get => Int(ClientSettings.ConnectTimeoutMs);
        set => SetInt(ClientSettings.ConnectTimeoutMs, value);
    }

    /// <summary>The wait before retrying a failed request (retry.backoff.ms).</summary>
    /// <value>Default 100.</value>
    public int RetryBackoffMs
    {
        get => Int(ClientSettings.RetryBackoffMs);
        set => SetInt(ClientSettings.RetryBackoffMs, value);
    }

    /// <summary>How long cached topic metadata is trusted before it is read again (metadata.max.age.ms).</summary>
    /// <value>Default 300000.</value>
    public int MetadataMaxAgeMs
    {
        get => Int(ClientSettings.MetadataMaxAgeMs);
        set => SetInt(ClientSettings.MetadataMaxAgeMs, value);
    }

    /// <summary>The Orleans cluster id of the silos (orleans.cluster.id).</summary>
    /// <value>Default <c>orlog</c>.</value>
    public string OrleansClusterId
    {
        get => Value(ClientSettings.OrleansClusterId);
        set => Set(ClientSettings.OrleansClusterId, value);
    }

    /// <summary>The Orleans service id of the silos (orleans.service.id).</summary>
    /// <value>Default <c>orlog</c>.</value>
    public string OrleansServiceId
    {
        get => Value(ClientSettings.OrleansServiceId);
        set => Set(ClientSettings.OrleansServiceId, value);
    }

    /// <summary>
    /// How often the client asks the cluster which brokers' gateways are alive, and moves its calls off a gateway
    /// whose silo Orleans declared dead (orleans.gateway.list.refresh.ms).
    /// </summary>
    /// <value>Default 2000.</value>
    public int OrleansGatewayListRefreshMs
    {
        get => Int(ClientSettings.OrleansGatewayListRefreshMs);
        set => SetInt(ClientSettings.OrleansGatewayListRefreshMs, value);
    }

    /// <summary>The client kind this configuration is for (a ClientConfig serves any).</summary>
    private protected virtual SettingScope Scope => SettingScope.Common;

    /// <summary>
    /// Sets a setting by its Kafka name (the Java client's or librdkafka's: aliases are understood) after checking the
    /// name and the value. A setting of another kind of client is kept and ignored, with a note when the client starts;
    /// one that Orlog does not apply is kept with a note too.
    /// </summary>
    /// <exception cref="ConfigException">The name is unknown (the message suggests the closest known one), the value
    /// is invalid or out of range, or Orlog refuses the setting; the message names the setting and says what to do.</exception>
    public void Set(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        var given = name.Trim();
        var setting = ClientSettings.Require(given);
        _values[setting.Name] = setting.Parse(given, value);
    }

    /// <summary>
    /// Whether this kind of client takes the setting named (false for a setting of another kind of client, which
    /// <see cref="Set(string, string)"/> keeps and the client ignores).
    /// </summary>
    /// <exception cref="ConfigException">The name is unknown.</exception>
    public bool Takes(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ClientSettings.Require(name.Trim()).AppliesTo(Scope);
    }

    /// <summary>The value given for a setting (by any of its names), or null when it was not given (its default applies).</summary>
    public string? Get(string name) => _values.GetValueOrDefault(ClientSettings.Find(name)?.Name ?? name);

    /// <summary>True when the setting was given explicitly (by any of its names).</summary>
    public bool IsSet(string name) => _values.ContainsKey(ClientSettings.Find(name)?.Name ?? name);

    /// <summary>The settings given explicitly, by their Kafka names.</summary>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// What a client of this kind says once when it starts: each given setting that has no effect in Orlog, and each
    /// that belongs to another kind of client.
    /// </summary>
    internal IEnumerable<string> Notes(SettingScope kind)
    {
        foreach (var (name, value) in _values)
        {
            var setting = ClientSettings.Find(name)!;
            if (!setting.AppliesTo(kind))
            {
                yield return $"{name} is a setting of {ScopeName(setting.Scope)}; this {ScopeName(kind)} ignores it.";
            }
            else if (setting.NoEffectWhy(value, this) is { } why)
            {
                yield return $"{name}={value} has no effect in Orlog: {why}";
            }
        }
    }

    /// <summary>Sets a setting from a typed value, or removes it (back to its default) for null.</summary>
    private protected void SetNullable(string name, object? value)
    {
        if (value is null)
        {
            _values.Remove(ClientSettings.Require(name).Name);
            return;
        }
        Set(name, value switch
        {
            bool flag => flag ? "true" : "false",
            Enum choice => ConfigValues.Text(choice),
            IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        });
    }

    private protected int? GetNullableInt(string name) => Get(name) is { } text ? int.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : null;

    private protected double? GetNullableDouble(string name) => Get(name) is { } text ? double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) : null;

    private protected bool? GetNullableBool(string name) => Get(name) is { } text ? text == "true" : null;

    internal string Value(ClientSetting setting) => _values.GetValueOrDefault(setting.Name) ?? setting.Default ?? "";

    internal string? Text(ClientSetting setting) => _values.GetValueOrDefault(setting.Name) ?? setting.Default;

    internal int Int(ClientSetting setting) => int.Parse(Value(setting), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    internal long Long(ClientSetting setting) => long.Parse(Value(setting), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    internal double Double(ClientSetting setting) => double.Parse(Value(setting), NumberStyles.Float, CultureInfo.InvariantCulture);

    internal bool Bool(ClientSetting setting) => Value(setting) == "true";

    internal bool IsSet(ClientSetting setting) => _values.ContainsKey(setting.Name);

    private protected void Set(ClientSetting setting, string value) => _values[setting.Name] = setting.Parse(setting.Name, value);

    private protected void SetInt(ClientSetting setting, long value) => Set(setting, value.ToString(CultureInfo.InvariantCulture));

    private protected void SetDouble(ClientSetting setting, double value) => Set(setting, value.ToString(CultureInfo.InvariantCulture));

    private protected void SetBool(ClientSetting setting, bool value) => Set(setting, value ? "true" : "false");

    private static string ScopeName(SettingScope scope) => scope switch
    {
        SettingScope.Producer => "the producer",
        SettingScope.Consumer => "the consumer",
        SettingScope.Admin => "the admin client",
        SettingScope.Producer | SettingScope.Admin => "the producer and the admin client",
        SettingScope.Consumer | SettingScope.Admin => "the consumer and the admin client",
        _ => "every client",
    };
}
