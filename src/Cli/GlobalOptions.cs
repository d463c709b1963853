using System.CommandLine;
using Orlog.Cli.Input;
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

    public static Option<string[]> SettingsFiles { get; } = new("--command-config", "--producer.config", "--consumer.config", "-F")
    {
        Description = "A file of client settings in Java properties syntax, as Kafka's tools and kcat take (repeatable); -X wins over it",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>Taken by the commands that list things only (<see cref="WithOutput"/>): elsewhere it is refused, not ignored.</summary>
    public static Option<OutputMode> Output { get; } = new("--output", "-o")
    {
        Description = "Listing format: auto (a table on a terminal, plain columns otherwise), plain or json",
        DefaultValueFactory = _ => OutputMode.Auto,
    };

    /// <summary>Adds --output to a command that prints a listing.</summary>
    public static Command WithOutput(this Command command)
    {
        command.Options.Add(Output);
        return command;
    }

    /// <summary>
    /// A client config from --bootstrap, the settings files (in order) and every -X, which wins; each checked by the
    /// config (an ArgumentException names a bad one). Settings of another kind of client in a file are skipped with
    /// one note on stderr: Kafka users share one file between their producer and consumer.
    /// </summary>
    public static T Config<T>(ParseResult parse, T config)
        where T : ClientConfig
    {
        config.BootstrapServers = parse.GetValue(Bootstrap)!;
        foreach (var path in parse.GetValue(SettingsFiles) ?? [])
        {
            var skipped = new List<string>();
            foreach (var (name, value) in PropertiesFile.Read(path))
            {
                if (!config.Takes(name))
                {
                    skipped.Add(name);
                    continue;
                }
                config.Set(name, value);
            }
            if (skipped.Count > 0)
            {
                Console.Error.WriteLine($"note: {path}: ignoring settings of other kinds of client: {string.Join(", ", skipped)}");
            }
        }
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
