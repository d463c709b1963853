using Microsoft.CodeAnalysis;

namespace Orlog.Kafka.Generator;

/// <summary>What the generator reports: a schema it cannot read, two schemas that clash, its own failure.</summary>
internal static class Diagnostics
{
    private const string Category = "Orlog.Kafka.Schema";

    public static readonly DiagnosticDescriptor SchemaError = new(
        "ORLOGKAFKA001",
        "Kafka schema error",
        "{0}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor SchemaClash = new(
        "ORLOGKAFKA002",
        "Kafka schemas clash",
        "{0}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor GeneratorFailure = new(
        "ORLOGKAFKA003",
        "Kafka codec generator failed",
        "Generating the codec for {0} failed: {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);
}
