using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Orlog.Kafka.Generator.Emit;
using Orlog.Kafka.Generator.Schema;

namespace Orlog.Kafka.Generator;

/// <summary>
/// Turns every AdditionalFiles item ending in <c>.schema</c> into the request and response classes of one
/// Kafka API (<c>&lt;Name&gt;.g.cs</c>), and all of them together into <c>ApiCatalog</c>. A schema with
/// errors yields diagnostics at its lines and no code.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class KafkaCodecGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.AdditionalTextsProvider
            .Where(static file => file.Path.EndsWith(".schema", StringComparison.OrdinalIgnoreCase))
            .Select(static (file, token) => new SchemaFile(file.Path, file.GetText(token)?.ToString() ?? ""))
            .Select(static (file, _) => Parse(file));
        context.RegisterSourceOutput(parsed, static (output, result) => EmitApi(output, result));
        context.RegisterSourceOutput(parsed.Collect(), static (output, results) => EmitCatalog(output, results));
    }

    private static ParseResult Parse(SchemaFile file)
    {
        try
        {
            var result = SchemaParser.Parse(file.Path, file.Text);
            if (result.Api is not null && result.Api.Name != FileStem(file.Path))
            {
                result.Errors.Add(new SchemaError(1, 1, 0, $"the file of API {result.Api.Name} must be named {result.Api.Name}.schema"));
                return new ParseResult(file.Path, null, result.Errors);
            }
            return result;
        }
        catch (Exception e)
        {
            return new ParseResult(file.Path, null, [new SchemaError(1, 1, 0, "the generator failed reading this file: " + e.Message)]);
        }
    }

    private static void EmitApi(SourceProductionContext output, ParseResult result)
    {
        foreach (var error in result.Errors)
        {
            output.ReportDiagnostic(Diagnostic.Create(Diagnostics.SchemaError, At(result.Path, error), error.Message));
        }
        if (result.Api is null)
        {
            return;
        }
        try
        {
            var fileName = FileStem(result.Path) + ".schema";
            output.AddSource(result.Api.Name + ".g.cs", SourceText.From(MessageEmitter.Emit(result.Api, fileName), System.Text.Encoding.UTF8));
        }
        catch (Exception e)
        {
            output.ReportDiagnostic(Diagnostic.Create(Diagnostics.GeneratorFailure, At(result.Path, new SchemaError(1, 1, 0, "")), result.Path, e.Message));
        }
    }

    private static void EmitCatalog(SourceProductionContext output, ImmutableArray<ParseResult> results)
    {
        var apis = new List<ApiSpec>();
        var byKey = new Dictionary<short, ApiSpec>();
        var byName = new Dictionary<string, ApiSpec>(StringComparer.Ordinal);
        foreach (var api in results.Select(r => r.Api).Where(a => a is not null).OrderBy(a => a!.Key).ThenBy(a => a!.Path, StringComparer.Ordinal))
        {
            if (byKey.TryGetValue(api!.Key, out var other) || byName.TryGetValue(api.Name, out other))
            {
                var message = $"{api.Name} (key {api.Key}) clashes with {other.Name} (key {other.Key}) in {other.Path}: one schema file an API";
                output.ReportDiagnostic(Diagnostic.Create(Diagnostics.SchemaClash, At(api.Path, new SchemaError(1, 1, 0, "")), message));
                continue;
            }
            byKey.Add(api.Key, api);
            byName.Add(api.Name, api);
            apis.Add(api);
        }
        try
        {
            output.AddSource("ApiCatalog.g.cs", SourceText.From(CatalogEmitter.Emit(apis), System.Text.Encoding.UTF8));
        }
        catch (Exception e)
        {
            output.ReportDiagnostic(Diagnostic.Create(Diagnostics.GeneratorFailure, Location.None, "ApiCatalog", e.Message));
        }
    }

    private static Location At(string path, SchemaError error)
    {
        var line = Math.Max(0, error.Line - 1);
        var column = Math.Max(0, error.Column - 1);
        var span = new LinePositionSpan(new LinePosition(line, column), new LinePosition(line, column + error.Length));
        return Location.Create(path, default, span);
    }

    private static string FileStem(string path)
    {
        var start = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\')) + 1;
        var end = path.LastIndexOf('.');
        return end > start ? path.Substring(start, end - start) : path.Substring(start);
    }
}
