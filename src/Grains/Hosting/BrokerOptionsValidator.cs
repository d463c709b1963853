using System.Globalization;
using Microsoft.Extensions.Options;
using Orlog.Log;

namespace Orlog.Grains.Hosting;

/// <summary>
/// Checks <see cref="BrokerOptions"/> at start: a broker id of 0 or more, a data directory, a cluster id
/// of letters, digits, '.', '_' and '-', and every entry of <see cref="BrokerOptions.Defaults"/> under a
/// known Kafka broker config name with a value that parses and is in range. Each failure names the setting
/// as it is configured (<c>Orlog:Defaults:log.segment.bytes</c>, ...).
/// </summary>
public sealed class BrokerOptionsValidator : IValidateOptions<BrokerOptions>
{
    private const string Section = BrokerOptions.SectionName;

    /// <summary>
    /// The broker defaults that topics inherit, by Kafka broker config name, with the topic config name each
    /// one is the default of (<c>log.roll.ms</c> is the default of <c>segment.ms</c>, as in Kafka).
    /// </summary>
    public static IReadOnlyDictionary<string, string> TopicConfigNames => BrokerDefaults.LogConfigNames;

    private static readonly Dictionary<string, Func<string, string?>> _brokerSettings = new(StringComparer.Ordinal)
    {
        ["num.partitions"] = value => CheckInt(value, 1, int.MaxValue),
        ["default.replication.factor"] = value => CheckInt(value, 1, short.MaxValue),
        ["min.insync.replicas"] = value => CheckInt(value, 1, int.MaxValue),
        ["auto.create.topics.enable"] = CheckBool,
        [BrokerDefaults.UncleanLeaderElectionName] = CheckBool,
        [BrokerDefaults.AutoLeaderRebalanceName] = CheckBool,
        [BrokerDefaults.ReplicaLagTimeMaxMsName] = value => CheckInt(value, 1, int.MaxValue),
        [BrokerDefaults.ReplicaFetchMaxBytesName] = value => CheckInt(value, 1024, int.MaxValue),
        [BrokerDefaults.ReplicaFetchWaitMaxMsName] = value => CheckInt(value, 0, int.MaxValue),
        [BrokerDefaults.LeaderReplicationThrottledRateName] = value => CheckLong(value, BrokerDefaults.MinLeaderReplicationThrottledRate, long.MaxValue),
        ["log.retention.check.interval.ms"] = value => CheckInt(value, 1, int.MaxValue),
        // The group coordinator's settings (BrokerDefaults reads them into GroupConfig).
        [BrokerDefaults.GroupMinSessionTimeoutMsName] = value => CheckInt(value, 1, int.MaxValue),
        [BrokerDefaults.GroupMaxSessionTimeoutMsName] = value => CheckInt(value, 1, int.MaxValue),
        [BrokerDefaults.GroupInitialRebalanceDelayMsName] = value => CheckInt(value, 0, int.MaxValue),
        [BrokerDefaults.GroupConsumerHeartbeatIntervalMsName] = value => CheckInt(value, 1, int.MaxValue),
        [BrokerDefaults.GroupMaxSizeName] = value => CheckInt(value, 1, int.MaxValue),
        [BrokerDefaults.OffsetsRetentionMinutesName] = value => CheckInt(value, 1, int.MaxValue),
        [BrokerDefaults.OffsetsRetentionCheckIntervalMsName] = value => CheckInt(value, 1, int.MaxValue),
    };

    // Kafka names Orlog does not take, with the one to use instead.
    private static readonly Dictionary<string, string> _insteadOf = new(StringComparer.Ordinal)
    {
        ["log.retention.hours"] = "log.retention.ms",
        ["log.retention.minutes"] = "log.retention.ms",
        ["log.roll.hours"] = "log.roll.ms",
        ["log.segment.ms"] = "log.roll.ms",
        ["log.flush.interval.ms.per.topic"] = "log.flush.interval.ms",
        ["broker.id"] = $"{Section}:BrokerId",
        ["log.dirs"] = $"{Section}:DataDirectory",
        ["log.dir"] = $"{Section}:DataDirectory",
    };

    /// <summary>Every name <see cref="BrokerOptions.Defaults"/> accepts.</summary>
    public static IReadOnlyCollection<string> KnownDefaultNames { get; } = [.. TopicConfigNames.Keys.Concat(_brokerSettings.Keys).Order(StringComparer.Ordinal)];

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BrokerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.BrokerId < 0)
        {
            failures.Add($"{Section}:BrokerId={options.BrokerId} is out of range: a broker id is 0 or more.");
        }
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add($"{Section}:DataDirectory is empty: set the directory that holds this broker's data.");
        }
        else if (options.DataDirectory.Contains('\0', StringComparison.Ordinal))
        {
            failures.Add($"{Section}:DataDirectory='{options.DataDirectory}' is not a valid path.");
        }
        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            failures.Add($"{Section}:ClusterId is empty: set the cluster's id (letters, digits, '.', '_' and '-').");
        }
        else if (!IsClusterId(options.ClusterId))
        {
            failures.Add($"{Section}:ClusterId='{options.ClusterId}' is invalid: use letters, digits, '.', '_' and '-' only.");
        }
        if (options.Defaults is not null)
        {
            foreach (var (setting, value) in options.Defaults)
            {
                if (CheckDefault(setting, value ?? "") is { } failure)
                {
                    failures.Add(failure);
                }
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? CheckDefault(string setting, string value)
    {
        var key = $"{Section}:Defaults:{setting}";
        if (TopicConfigNames.TryGetValue(setting, out var topicName))
        {
            try
            {
                _ = new LogConfig().With([new KeyValuePair<string, string>(topicName, value)]);
                return null;
            }
            catch (KafkaException e)
            {
                var detail = e.Detail.StartsWith(topicName, StringComparison.Ordinal) ? setting + e.Detail[topicName.Length..] : e.Detail;
                return $"{key} is invalid: {detail}";
            }
        }
        if (_brokerSettings.TryGetValue(setting, out var check))
        {
            return check(value) is { } problem ? $"{key} is invalid: {setting}='{value}' {problem}" : null;
        }
        var hint = _insteadOf.TryGetValue(setting, out var instead) ? $" Use {instead} instead." : "";
        return $"{key} is not a broker setting Orlog knows.{hint} Known: {string.Join(", ", KnownDefaultNames)}.";
    }

    private static string? CheckInt(string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            return "is not a 32-bit integer.";
        }
        return parsed < min || parsed > max ? $"is out of range: it must be between {min} and {max}." : null;
    }

    private static string? CheckLong(string value, long min, long max)
    {
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            return "is not a 64-bit integer.";
        }
        return parsed < min || parsed > max ? $"is out of range: it must be between {min} and {max}." : null;
    }

    private static string? CheckBool(string value) =>
        value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase)
            ? null
            : "must be true or false.";

    private static bool IsClusterId(string clusterId)
    {
        foreach (var c in clusterId)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }
        return true;
    }
}
