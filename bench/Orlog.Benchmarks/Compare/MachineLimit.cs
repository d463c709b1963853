namespace Orlog.Benchmarks.Compare;

/// <summary>One ceiling of the machine the peers ran on, with how it was measured (for the report).</summary>
/// <param name="Name">What was measured, e.g. "disk sequential write".</param>
/// <param name="Value">The measured value, in <paramref name="Unit"/>.</param>
/// <param name="Unit">"MiB/s", "fsyncs/s", "MB/s".</param>
/// <param name="How">The method in one sentence.</param>
internal sealed record MachineLimit(string Name, double Value, string Unit, string How);
