namespace Orlog.Testing;

/// <summary>
/// One example of an anomaly: where it is (the offset and send it concerns, when there is one) and what
/// was seen, in words.
/// </summary>
public sealed record Anomaly(AnomalyKind Kind, int Partition, long? Offset, string? SendId, string Detail)
{
    public override string ToString() =>
        $"{Kind.Label()} p{Partition}{(Offset is { } o ? $"@{o}" : "")}{(SendId is null ? "" : $" {SendId}")}: {Detail}";
}
