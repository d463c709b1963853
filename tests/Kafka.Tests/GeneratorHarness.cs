using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Orlog.Kafka.Generator;

namespace Orlog.Kafka.Tests;

/// <summary>Runs the codec generator over schema texts, as a build would, and returns what it produced.</summary>
internal static class GeneratorHarness
{
    public static GeneratorDriverRunResult Run(params (string Path, string Text)[] schemas)
    {
        var compilation = CSharpCompilation.Create(
            "SchemaTest",
            [],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var texts = schemas.Select(s => (AdditionalText)new InMemoryText(s.Path, s.Text)).ToImmutableArray();
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new KafkaCodecGenerator().AsSourceGenerator()], texts);
        return driver.RunGenerators(compilation).GetRunResult();
    }

    /// <summary>The one error a broken schema gives, with the line it names (1-based).</summary>
    public static (string Message, int Line, string Path) SingleError(string text, string path = "/schemas/Broken.schema")
    {
        var result = Run((path, text));
        Assert.All(result.Results, r => Assert.Null(r.Exception));
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count >= 1, "no error for:\n" + text);
        var error = errors[0];
        Assert.Equal("ORLOGKAFKA001", error.Id);
        Assert.DoesNotContain(result.GeneratedTrees, t => t.FilePath.EndsWith("Broken.g.cs", StringComparison.Ordinal));
        var span = error.Location.GetLineSpan();
        return (error.GetMessage(System.Globalization.CultureInfo.InvariantCulture), span.StartLinePosition.Line + 1, span.Path);
    }

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
