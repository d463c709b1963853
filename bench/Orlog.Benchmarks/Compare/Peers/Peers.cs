namespace Orlog.Benchmarks.Compare.Peers;

/// <summary>The peers by the names <c>--peers</c> takes; Orlog is measured twice, once per durability setting.</summary>
internal static class Peers
{
    public static IReadOnlyList<IPeer> Create(string name) => name switch
    {
        "orlog" => [new OrlogPeer(fsyncEveryMessage: false), new OrlogPeer(fsyncEveryMessage: true)],
        "redis" => [new RedisPeer()],
        "nats" => [new NatsPeer()],
        "postgres" => [new PostgresPeer()],
        "orleans" => [new OrleansStreamsPeer()],
        _ => throw new ArgumentException($"No driver for peer '{name}' on this branch yet."),
    };
}
