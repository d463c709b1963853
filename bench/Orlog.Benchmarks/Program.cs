using BenchmarkDotNet.Running;
using Orlog.Benchmarks.Compare;
using Orlog.Benchmarks.Groups;
using Orlog.Benchmarks.Log;
using Orlog.Benchmarks.Streaming;

// Load programs by name; anything else goes to BenchmarkDotNet (for example --filter '*Append*').
return args.FirstOrDefault() switch
{
    "log-append" => LogAppendLoad.Run(args[1..]),
    "streaming" => StreamingLoad.Run(args[1..]),
    "groups" => GroupsLoad.Run(args[1..]),
    "compare" => CompareLoad.Run(args[1..]),
    "cluster" => Orlog.Benchmarks.Cluster.ClusterLoad.Run(args[1..]),
    "reassign" => Orlog.Benchmarks.Cluster.ReassignLoad.Run(args[1..]),
    "kafka" => Orlog.Benchmarks.Kafka.KafkaLoad.Run(args[1..]),
    "cli" => Orlog.Benchmarks.Cli.CliLoad.Run(args[1..]),
    "streams" => Orlog.Benchmarks.Streams.StreamsLoad.Run(args[1..]),
    _ => RunBenchmarkDotNet(args),
};

static int RunBenchmarkDotNet(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(LogAppendLoad).Assembly).Run(args);
    return 0;
}
