using Orlog.Benchmarks.Streaming;

namespace Orlog.Benchmarks.Compare;

/// <summary>Everything one compare run measured: each peer's rounds, and the machine's limits.</summary>
internal sealed class CompareResults
{

    public List<PeerResult> Peers { get; } = [];

    public IReadOnlyList<MachineLimit> Limits { get; set; } = [];

    /// <summary>Why the machine's limits are missing, when measuring them failed.</summary>
    public string? LimitsError { get; set; }

    public string LoadBefore { get; set; } = "";

    public string LoadAfter { get; set; } = "";

    public TimeSpan Elapsed { get; set; }
}

/// <summary>One peer's measurements over the rounds (a key such as "W1 produce" to one rate per round), or why it failed.</summary>
internal sealed class PeerResult(string name, string ackPromise)
{
    public string Name { get; } = name;

    public string AckPromise { get; } = ackPromise;

    public string Description { get; set; } = "";

    public Dictionary<string, List<Rate>> Rates { get; } = [];

    public List<Latency> Latencies { get; } = [];

    public string? Error { get; set; }

    public void Add(string key, Rate rate)
    {
        if (!Rates.TryGetValue(key, out var list))
        {
            Rates[key] = list = [];
        }
        list.Add(rate);
    }

    public double? MedianRecordsPerSecond(string key) =>
        Rates.TryGetValue(key, out var list) && list.Count > 0 ? Stats.Median(list.Select(r => r.RecordsPerSecond).ToList()) : null;

    public double? MedianMegabytesPerSecond(string key) =>
        Rates.TryGetValue(key, out var list) && list.Count > 0 ? Stats.Median(list.Select(r => r.MegabytesPerSecond).ToList()) : null;
}
