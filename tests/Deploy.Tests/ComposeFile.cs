using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Orlog.Deploy.Tests;

/// <summary>
/// deploy/docker/compose.yaml with the parts of the Compose specification the tests check by hand: the
/// keys it defines, interpolation of ${VAR} and ${VAR:-default} (with no variable set, as on a fresh
/// machine), durations.
/// </summary>
internal static partial class ComposeFile
{
    /// <summary>The top-level keys of the Compose specification (and x- extensions).</summary>
    public static readonly HashSet<string> TopLevelKeys = ["version", "name", "include", "services", "networks", "volumes", "configs", "secrets", "models"];

    /// <summary>The keys a service may have in the Compose specification.</summary>
    public static readonly HashSet<string> ServiceKeys =
    [
        "annotations", "attach", "blkio_config", "build", "cap_add", "cap_drop", "cgroup", "cgroup_parent", "command",
        "configs", "container_name", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period",
        "cpu_rt_runtime", "cpu_shares", "cpus", "cpuset", "credential_spec", "depends_on", "deploy", "develop",
        "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search", "domainname", "entrypoint", "env_file",
        "environment", "expose", "extends", "external_links", "extra_hosts", "gpus", "group_add", "healthcheck",
        "hostname", "image", "init", "ipc", "isolation", "labels", "links", "logging", "mac_address", "mem_limit",
        "mem_reservation", "mem_swappiness", "memswap_limit", "network_mode", "networks", "oom_kill_disable",
        "oom_score_adj", "pid", "pids_limit", "platform", "ports", "post_start", "pre_stop", "privileged", "profiles",
        "pull_policy", "read_only", "restart", "runtime", "scale", "secrets", "security_opt", "shm_size", "stdin_open",
        "stop_grace_period", "stop_signal", "storage_opt", "sysctls", "tmpfs", "tty", "ulimits", "user", "userns_mode",
        "uts", "volumes", "volumes_from", "working_dir",
    ];

    public static readonly HashSet<string> DependencyConditions = ["service_started", "service_healthy", "service_completed_successfully"];

    public static YamlMappingNode Load() => Yaml.LoadMapping(DeployFiles.Compose);

    public static YamlMappingNode Services(YamlMappingNode compose) => compose.Mapping("services");

    /// <summary>The brokers: the services built from the Orlog image's Dockerfile.</summary>
    public static IReadOnlyList<(string Name, YamlMappingNode Service)> Brokers(YamlMappingNode compose) =>
        [.. Services(compose).Children
            .Where(service => service.Value.Text("build", "dockerfile") is { } dockerfile && dockerfile.EndsWith("Dockerfile", StringComparison.Ordinal))
            .Select(service => (((YamlScalarNode)service.Key).Value!, (YamlMappingNode)service.Value))];

    /// <summary>A service's environment (mapping or NAME=VALUE list form), interpolated.</summary>
    public static Dictionary<string, string> Environment(YamlNode service)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (service.At("environment"))
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    var text = Assert.IsType<YamlScalarNode>(value).Value ?? "";
                    variables[((YamlScalarNode)key).Value!] = Interpolate(text);
                }
                break;
            case YamlSequenceNode list:
                foreach (var item in list.Children)
                {
                    var pair = ((YamlScalarNode)item).Value!;
                    var equals = pair.IndexOf('=', StringComparison.Ordinal);
                    variables[pair[..equals]] = Interpolate(pair[(equals + 1)..]);
                }
                break;
        }
        return variables;
    }

    /// <summary>Compose's interpolation with no variable set: ${VAR:-default} and ${VAR-default} give the default, ${VAR} nothing, $$ a $.</summary>
    public static string Interpolate(string text)
    {
        var result = Variable().Replace(text, match => match.Groups["default"].Success ? match.Groups["default"].Value : "");
        Assert.DoesNotContain("${", result, StringComparison.Ordinal);
        return result.Replace("$$", "$", StringComparison.Ordinal);
    }

    /// <summary>A Compose duration ("45s", "1m30s", "500ms").</summary>
    public static TimeSpan ParseDuration(string text)
    {
        var match = Duration().Match(text);
        Assert.True(match.Success, $"'{text}' is not a Compose duration");
        var total = TimeSpan.Zero;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = part.Value.TrimStart("0123456789".ToCharArray());
            var number = double.Parse(part.Value[..^unit.Length], System.Globalization.CultureInfo.InvariantCulture);
            total += unit switch
            {
                "h" => TimeSpan.FromHours(number),
                "m" => TimeSpan.FromMinutes(number),
                "s" => TimeSpan.FromSeconds(number),
                "ms" => TimeSpan.FromMilliseconds(number),
                _ => TimeSpan.FromTicks((long)(number * 10)),
            };
        }
        return total;
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::?-(?<default>[^}]*))?\}")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^(?<part>\d+(h|ms|m|s|us))+$")]
    private static partial Regex Duration();
}
