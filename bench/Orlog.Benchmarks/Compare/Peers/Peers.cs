namespace Orlog.Benchmarks.Compare.Peers;

/// <summary>The peers by the names <c>--peers</c> takes; Orlog is measured twice through the SDK, once per durability setting, and once through the Kafka protocol.</summary>
internal static class Peers
{
    public static IReadOnlyList<IPeer> Create(string name) => name switch
    {
        "orlog" => [new OrlogPeer(fsyncEveryMessage: false), new OrlogPeer(fsyncEveryMessage: true)],
        "orlog-kafka" => [new OrlogKafkaPeer()],
        "redis" => [new RedisPeer()],
        "nats" => [new NatsPeer()],
        "postgres" => [new PostgresPeer()],
        "orleans" => [new OrleansStreamsPeer()],
        _ => throw new ArgumentException($"No driver for peer '{name}' on this branch yet."),
    };
}
