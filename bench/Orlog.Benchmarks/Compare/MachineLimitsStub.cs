namespace Orlog.Benchmarks.Compare;

/// <summary>A limit of this machine the peers are measured against (dd with fdatasync, fsyncs/s, loopback TCP, the Orleans transport ceiling).</summary>
internal sealed record MachineLimit(string Name, double Value, string Unit, string How);

/// <summary>Temporary stand-in until the machine-limits helper's class lands: measures nothing.</summary>
internal static class MachineLimits
{
    public static Task<IReadOnlyList<MachineLimit>> MeasureAsync(string directory, bool quick, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<MachineLimit>>([]);
}
