using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Orlog.EndToEnd.Tests.Confluent;

/// <summary>
/// Compiles a program written for Confluent.Kafka with Roslyn, as it is against Confluent.Kafka, or with its using
/// line changed to Orlog.Client against the SDK, and loads the SDK build to run it.
/// </summary>
internal static class ProgramCompiler
{
    // .NET's implicit usings for a console program.
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    public static string Source(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ConfluentPrograms", file));

    /// <summary>The source with only its using line changed from Confluent.Kafka to Orlog.Client.</summary>
    public static string ForOrlog(string source)
    {
        var changed = source.Replace("using Confluent.Kafka;", "using Orlog.Client;", StringComparison.Ordinal)
            .Replace("using Confluent.Kafka.Admin;", "using Orlog.Client.Admin;", StringComparison.Ordinal);
        Assert.NotEqual(source, changed);
        return changed;
    }

    /// <summary>Compiles; returns the assembly's bytes and every error (none: it compiled). A program of top-level statements is a console application.</summary>
    public static (byte[]? Image, List<string> Errors) Compile(string name, string source, bool againstConfluent, OutputKind kind = OutputKind.DynamicallyLinkedLibrary)
    {
        var references = References(againstConfluent);
        var compilation = CSharpCompilation.Create(name,
            [CSharpSyntaxTree.ParseText(ImplicitUsings), CSharpSyntaxTree.ParseText(source)],
            references,
            new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        return (emitted.Success ? image.ToArray() : null, errors);
    }

    /// <summary>Loads a compiled program (its dependencies from the test's own) and runs its static RunAsync.</summary>
    public static async Task RunAsync(byte[] image, string type, params object[] arguments)
    {
        var context = new AssemblyLoadContext(type, isCollectible: true);
        try
        {
            var assembly = context.LoadFromStream(new MemoryStream(image));
            var run = assembly.GetType(type)!.GetMethod("RunAsync", BindingFlags.Public | BindingFlags.Static)!;
            try
            {
                await (Task)run.Invoke(null, arguments)!;
            }
            catch (TargetInvocationException error) when (error.InnerException is not null)
            {
                throw error.InnerException;
            }
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>Loads a compiled console program and runs its entry point (top-level statements) on a thread of its own.</summary>
    public static async Task RunMainAsync(byte[] image, string name)
    {
        var context = new AssemblyLoadContext(name, isCollectible: true);
        try
        {
            var entry = context.LoadFromStream(new MemoryStream(image)).EntryPoint!;
            await Task.Run(() =>
            {
                try
                {
                    entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
                }
                catch (TargetInvocationException error) when (error.InnerException is not null)
                {
                    throw error.InnerException;
                }
            });
        }
        finally
        {
            context.Unload();
        }
    }

    private static List<MetadataReference> References(bool againstConfluent)
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var local = Directory.GetFiles(AppContext.BaseDirectory, "*.dll");
        var references = new List<MetadataReference>();
        foreach (var path in platform.Concat(local).Distinct(StringComparer.Ordinal))
        {
            var file = Path.GetFileName(path);
            var sdk = file.StartsWith("Orlog.", StringComparison.Ordinal);
            var confluent = file.StartsWith("Confluent.Kafka", StringComparison.Ordinal);
            if ((againstConfluent && sdk) || (!againstConfluent && confluent) || !IsManaged(path))
            {
                continue;
            }
            references.Add(MetadataReference.CreateFromFile(path));
        }
        return references;
    }

    private static bool IsManaged(string path)
    {
        try
        {
            AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
