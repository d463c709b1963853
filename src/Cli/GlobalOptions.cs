using System.CommandLine;
using Orlog.Cli.Output;
using Orlog.Client;

namespace Orlog.Cli;

/// <summary>The options every command takes (CONVENTIONS.md): where the cluster is, and any client setting.</summary>
internal static class GlobalOptions
{
    public static Option<string> Bootstrap { get; } = new("--bootstrap", "-b", "--bootstrap-server")
    {
        Description = "Gateways of the cluster, host:port[,host:port...]",
        DefaultValueFactory = _ => "127.0.0.1:30000",
        Recursive = true,
    };

    public static Option<string[]> Settings { get; } = new("-X")
    {
        Description = "A client setting by its Kafka name, key=value (repeatable), e.g. -X linger.ms=10",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<OutputMode> Output { get; } = new("--output", "-o")
    {
        Description = "Listing format: auto (a table on a terminal, plain columns otherwise), plain or json",
        DefaultValueFactory = _ => OutputMode.Auto,
        Recursive = true,
    };

    /// <summary>A client config from --bootstrap and every -X, with the config's own checks (ArgumentException names a bad one).</summary>
    public static T Config<T>(ParseResult parse, T config)
        where T : ClientConfig
    {
        config.BootstrapServers = parse.GetValue(Bootstrap)!;
        foreach (var setting in parse.GetValue(Settings) ?? [])
        {
            var at = setting.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                throw new ArgumentException($"-X {setting}: expected key=value.");
            }
            config.Set(setting[..at].Trim(), setting[(at + 1)..].Trim());
        }
        return config;
    }

    /// <summary>key=value pairs of a repeatable --config option.</summary>
    public static Dictionary<string, string> Pairs(string[]? values, string option)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values ?? [])
        {
            var at = value.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                throw new ArgumentException($"{option} {value}: expected key=value.");
            }
            pairs[value[..at].Trim()] = value[(at + 1)..].Trim();
        }
        return pairs;
    }
}
