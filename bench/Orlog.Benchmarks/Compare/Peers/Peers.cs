namespace Orlog.Benchmarks.Compare.Peers;

/// <summary>
/// The peers by the names <c>--peers</c> takes; Orlog is measured three times through the SDK (once per durability
/// setting with linger.ms=5, Kafka 4's default, and once with linger.ms=0, the setting for latency), and once through
/// the Kafka protocol.
/// </summary>
internal static class Peers
{
    public static IReadOnlyList<IPeer> Create(string name) => name switch
    {
        "orlog" => [new OrlogPeer(fsyncEveryMessage: false), new OrlogPeer(fsyncEveryMessage: true), new OrlogPeer(fsyncEveryMessage: false, lingerMs: 0)],
        "orlog-kafka" => [new OrlogKafkaPeer()],
        "redis" => [new RedisPeer()],
        "nats" => [new NatsPeer()],
        "postgres" => [new PostgresPeer()],
        "orleans" => [new OrleansStreamsPeer()],
        "orleans-orlog" => [new OrlogStreamsPeer()],
        _ => throw new ArgumentException($"No driver for peer '{name}' on this branch yet."),
    };
}
