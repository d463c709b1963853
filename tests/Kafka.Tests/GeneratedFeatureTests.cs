using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Orlog.Kafka.Protocol;

namespace Orlog.Kafka.Tests;

/// <summary>
/// A schema with every type and feature the format has, whether or not a Kafka API of ours uses it yet:
/// generated, compiled, loaded, and round-tripped in every version.
/// </summary>
public sealed class GeneratedFeatureTests
{
    private const string Schema = """
        # Every type and feature: the fields are made up, the encodings are Kafka's.
        api Features key=900 versions=0-4 advertise=1-4 flexible=2+
        request
          Small int8 v=0+ default=-3
          Short int16 v=0+ default=0x10
          Port uint16 v=0+ default=9092
          Count int32 v=1+ default=-1
          Offset int64 v=0+ default=-1
          Ratio float64 v=3+ default=0.5
          Flag bool v=0+ default=true
          Id uuid v=1+
          Label string v=0+ default="none"
          MaybeLabel string v=1+ nullable=1+ default=null ignorable
          Payload bytes v=0+
          MaybePayload bytes v=1+ nullable=1+
          Batch records v=0+ nullable=0+
          Numbers []int64 v=0+
          Names []string v=1+ nullable=2+
          Ids []uuid v=3+
          Blobs []bytes v=2+
          Items []Item v=0+
            Key string v=0+ key
            Values []int32 v=1+
            Inner Leaf v=2+
              Depth int32 v=2+ default=7
            Extra Leaf v=3+ tag=0 tagged=3+
          Single Leaf v=0+
          MaybeLeaf Leaf v=1+ nullable=1+ default=null
          Gone int32 v=0-1 ignorable
          TaggedCount int32 v=2+ tag=0 tagged=2+ default=-1
          TaggedName string v=2+ tag=1 tagged=2+ nullable=2+ default=null
          TaggedItems []Item v=3+ tag=2 tagged=3+
          TaggedLeaf Leaf v=2+ tag=3 tagged=2+ nullable=2+ default=null
          RegularThenTagged int64 v=0+ tag=4 tagged=3+
        response flexible=3+
          ErrorCode int16 v=0+
          Items []Item v=0+
          TaggedText string v=3+ tag=5 tagged=3+ default="x"
        """;

    private static readonly Lazy<Assembly> _assembly = new(Compile);

    public static TheoryData<string, short> Versions()
    {
        var data = new TheoryData<string, short>();
        foreach (var name in new[] { "FeaturesRequest", "FeaturesResponse" })
        {
            for (short v = 0; v <= 4; v++)
            {
                data.Add(name, v);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void EveryFeatureSurvivesARoundTrip(string name, short version)
    {
        var type = _assembly.Value.GetType("Orlog.Kafka.Protocol.Messages." + name)!;
        for (var seed = 0; seed < 30; seed++)
        {
            foreach (var nulls in new[] { false, true })
            {
                var message = Activator.CreateInstance(type)!;
                MessageFiller.Fill(message, version, new Random(seed), nulls);
                var (bytes, read, consumed) = Messages.RoundTrip(message, version);
                Assert.Equal(bytes.Length, consumed);
                MessageAssert.Equal(message, read);
                for (var length = 0; length < bytes.Length; length += 1 + (bytes.Length / 40))
                {
                    var prefix = bytes.AsMemory(0, length);
                    Assert.Throws<KafkaProtocolException>(() => Messages.Read(type, prefix, version));
                }
            }
        }
    }

    [Fact]
    public void ANullableStructIsMarkedWithAnInt8AndATaggedOneWithAVarint()
    {
        var type = _assembly.Value.GetType("Orlog.Kafka.Protocol.Messages.FeaturesRequest")!;
        var leaf = type.GetNestedType("Leaf")!;
        var message = Activator.CreateInstance(type)!;
        type.GetProperty("MaybeLeaf")!.SetValue(message, Activator.CreateInstance(leaf));
        var withLeaf = Messages.Write((IKafkaWritable)message, 1);
        type.GetProperty("MaybeLeaf")!.SetValue(message, null);
        var withoutLeaf = Messages.Write((IKafkaWritable)message, 1);
        // Present: int8 1 and the struct (in v1 Leaf has no field yet); absent: int8 -1. Nothing else differs.
        Assert.Equal(withoutLeaf.Length, withLeaf.Length);
        var differ = Enumerable.Range(0, withLeaf.Length).Where(i => withLeaf[i] != withoutLeaf[i]).ToList();
        var at = Assert.Single(differ);
        Assert.Equal(0x01, withLeaf[at]);
        Assert.Equal(0xff, withoutLeaf[at]);
    }

    private static Assembly Compile()
    {
        var run = GeneratorHarness.Run(("/schemas/Features.schema", Schema));
        Assert.Empty(run.Diagnostics);
        var source = run.Results.Single().GeneratedSources.Single(s => s.HintName == "Features.g.cs").SourceText.ToString();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(KafkaReader).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(Orlog.Client.ErrorCode).Assembly.Location));
        var compilation = CSharpCompilation.Create(
            "Features",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        var problems = emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        return Assembly.Load(stream.ToArray());
    }
}
