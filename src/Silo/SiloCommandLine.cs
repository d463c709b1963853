namespace Orlog.Silo;

/// <summary>
/// The silo's command line: friendly switches mapped onto configuration keys (through the command-line
/// configuration provider's switch mappings), <c>--config name=value</c> for broker defaults, and any
/// configuration key as <c>--Section:Key=value</c>. Anything else is a usage error, so that a misspelt
/// switch is not ignored.
/// </summary>
public static class SiloCommandLine
{
    /// <summary>Friendly switches and the configuration keys they set.</summary>
    public static IReadOnlyDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["--data-dir"] = "Orlog:DataDirectory",
        ["--broker-id"] = "Orlog:BrokerId",
        ["--cluster-id"] = "Orlog:ClusterId",
        ["--listen-address"] = "Orlog:ListenAddress",
        ["--advertised-address"] = "Orlog:AdvertisedAddress",
        ["--silo-port"] = "Orlog:SiloPort",
        ["--gateway-port"] = "Orlog:GatewayPort",
        ["--cluster-db"] = "Orlog:ClusterDb",
        ["--rack"] = "Orlog:Rack",
        ["--kafka-port"] = "Orlog:KafkaPort",
        ["--kafka-address"] = "Orlog:KafkaAddress",
        ["--advertised-listeners"] = "Orlog:AdvertisedListeners",
        ["--web-port"] = "Orlog:WebPort",
        ["--web-address"] = "Orlog:WebAddress",
        ["--web-insecure"] = "Orlog:WebInsecure",
        ["--otlp-endpoint"] = "Orlog:OtlpEndpoint",
    };

    // Switches that take no value (true when given; --name=false also works).
    private static readonly HashSet<string> _flags = new(StringComparer.OrdinalIgnoreCase) { "--web-insecure" };

    /// <summary>The usage text of <c>--help</c>.</summary>
    public const string Usage = """
        Usage: Orlog.Silo [options]
               Orlog.Silo setup --cluster-db CONNECTION-STRING [--cluster-id ID]   (see setup --help)

        Runs one Orlog broker (an Orleans silo). Settings come from appsettings.json beside the program,
        then Orlog__* environment variables, then these options; the later source wins.

          --data-dir DIR            data directory (Orlog:DataDirectory)            default ./data
          --broker-id N             this broker's id (Orlog:BrokerId)               default 0
          --cluster-id ID           the cluster's id (Orlog:ClusterId)              default orlog
          --listen-address IP       address to bind (Orlog:ListenAddress)           default 127.0.0.1
          --advertised-address IP   address others reach it at (Orlog:AdvertisedAddress)
          --silo-port N             silo-to-silo port, 0 a free one (Orlog:SiloPort) default 11111
          --gateway-port N          client gateway port, 0 a free one (Orlog:GatewayPort)
                                                                                    default 30000
          --kafka-port N|off        Kafka listener port, 0 a free one (Orlog:KafkaPort)
                                    default 9092; off in cluster mode unless given
          --kafka-address IP        address the Kafka listener binds (Orlog:KafkaAddress)
                                                                  default the listen address
          --advertised-listeners L  what Kafka clients are told: PLAINTEXT://host:port
                                    (Orlog:AdvertisedListeners)   default the address and port bound
          --web-port N|off          web port: pages, /api/, /dashboard, /metrics, /health/*
                                    (Orlog:WebPort), 0 a free one; default 8080, off in
                                    cluster mode unless given
          --web-address IP          address the web port binds (Orlog:WebAddress)  default 127.0.0.1;
                                    beyond loopback it needs Orlog:WebToken or Orlog:WebUser and
                                    Orlog:WebPassword (docs/web.md), or --web-insecure
          --web-insecure            serve the web surface beyond loopback without credentials
          --otlp-endpoint URL       push metrics by OTLP to this collector (Orlog:OtlpEndpoint)
          --rack NAME               this broker's rack, Kafka's broker.rack (Orlog:Rack)
          --cluster-db CONN         cluster mode: membership and metadata in this PostgreSQL
                                    database, an Npgsql connection string (Orlog:ClusterDb);
                                    unset: the embedded default (docs/cluster.md)
          --config NAME=VALUE       a broker default under its Kafka name (Orlog:Defaults:NAME),
                                    e.g. --config log.retention.ms=86400000; repeatable
          --Section:Key=VALUE       any configuration key, e.g. --Logging:LogLevel:Default=Debug
          -h, --help                this text

        Exit codes: 0 stopped normally (SIGTERM, Ctrl-C); 1 failed to start or run; 2 bad setting or usage.
        """;

    /// <summary>
    /// Checks <paramref name="args"/> and rewrites them for the command-line configuration provider
    /// (with <see cref="SwitchMappings"/>): <c>--config a=b</c> becomes <c>--Orlog:Defaults:a=b</c>.
    /// </summary>
    public static Result Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var rewritten = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help" or "-?")
            {
                return new Result([], ShowHelp: true, Error: null);
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                return Fail($"Unexpected argument '{arg}'.");
            }
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg : arg[..equals];
            string value;
            if (equals >= 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (_flags.Contains(name))
            {
                value = "true";
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                return Fail($"{name} needs a value.");
            }
            if (name.Equals("--config", StringComparison.OrdinalIgnoreCase))
            {
                var separator = value.IndexOf('=', StringComparison.Ordinal);
                if (separator <= 0)
                {
                    return Fail($"--config takes NAME=VALUE (a Kafka broker config name, e.g. log.retention.ms=86400000), not '{value}'.");
                }
                rewritten.Add($"--Orlog:Defaults:{value[..separator].Trim()}={value[(separator + 1)..]}");
            }
            else if (SwitchMappings.ContainsKey(name) || name.Contains(':', StringComparison.Ordinal))
            {
                rewritten.Add(name);
                rewritten.Add(value);
            }
            else
            {
                return Fail($"Unknown option '{name}'.");
            }
        }
        return new Result([.. rewritten], ShowHelp: false, Error: null);
    }

    private static Result Fail(string error) => new([], ShowHelp: false, Error: error + " Run with --help for the options.");

    /// <summary>The parsed command line: arguments for the configuration provider, or help, or a usage error.</summary>
    public sealed record Result(string[] ConfigurationArgs, bool ShowHelp, string? Error);
}
