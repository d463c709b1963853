using Microsoft.CodeAnalysis;

namespace Orlog.Kafka.Tests;

/// <summary>
/// A schema file the generator cannot use gives an error naming the file and line and saying what is
/// wrong; the generator never crashes and emits no code for that file.
/// </summary>
public sealed class GeneratorDiagnosticsTests
{
    private const string Header = "api Broken key=90 versions=0-3 advertise=0-3 flexible=2+\n";

    [Theory]
    [InlineData("request\n  Name string\nresponse\n", 3, "no v=")]
    [InlineData("request\n   Name string v=0+\nresponse\n", 3, "indented 3 spaces")]
    [InlineData("request\n  Name strin v=0+\nresponse\n", 3, "unknown type 'strin'")]
    [InlineData("request\n  Count int32 v=0+\n      Deep int32 v=0+\nresponse\n", 4, "indented too far")]
    [InlineData("request\n  Count int32 v=0+\n    Child int32 v=0+\nresponse\n", 4, "has no fields")]
    [InlineData("request\n  Name string v=0+ tag=0\nresponse\n", 3, "no tagged=")]
    [InlineData("request\n  Name string v=0+ tag=0 tagged=0+\nresponse\n", 3, "not flexible")]
    [InlineData("request\n  Name string v=2+ tag=0 tagged=2-3\nresponse\n", 3, "open-ended")]
    [InlineData("request\n  Count int32 v=0+ nullable=0+\nresponse\n", 3, "cannot be null")]
    [InlineData("request\n  Name string v=0+ default=null\nresponse\n", 3, "default=null")]
    [InlineData("request\n  Count int16 v=0+ default=70000\nresponse\n", 3, "not a int16")]
    [InlineData("request\n  Name string v=0+ default=abc\nresponse\n", 3, "quoted")]
    [InlineData("request\n  Name string v=0+ colour=red\nresponse\n", 3, "unknown attribute 'colour'")]
    [InlineData("request\n  Name string v=0+ v=1+\nresponse\n", 3, "given twice")]
    [InlineData("request\n  Name string v=x+\nresponse\n", 3, "not a version range")]
    [InlineData("request\n  Items []Item v=0+\nresponse\n", 3, "not defined elsewhere")]
    [InlineData("request\n  A []Item v=0+\n    X int32 v=0+\n  B []Item v=0+\n    Y int32 v=0+\nresponse\n", 5, "defined twice")]
    [InlineData("request\n  A int32 v=0+\n  A int32 v=0+\nresponse\n", 4, "two fields named A")]
    [InlineData("request\n  Read int32 v=0+\nresponse\n", 3, "the generated class uses that name")]
    [InlineData("request\n  A int32 v=0+ tag=0 tagged=2+\n  B int32 v=0+ tag=0 tagged=2+\nresponse\n", 4, "tag 0 twice")]
    [InlineData("request\n  R records v=0+ tag=0 tagged=2+\nresponse\n", 3, "records field cannot be tagged")]
    [InlineData("request\n\tName string v=0+\nresponse\n", 3, "tab")]
    [InlineData("request\n  Name string v=0+ default=\"abc\nresponse\n", 3, "closing")]
    [InlineData("request\nresponse\n  Topic Topic v=0+\n    X int32 v=0+\n  TopicData int32 v=0+\n", 4, "TopicData, its class's name then, is taken")]
    [InlineData("request\n  9Lives int32 v=0+\nresponse\n", 3, "not a field name")]
    [InlineData("hello\nrequest\nresponse\n", 2, "expected 'api', 'request' or 'response'")]
    [InlineData("request\n", 3, "no 'response' section")]
    public void ABrokenSchemaNamesTheFileTheLineAndTheProblem(string body, int line, string problem)
    {
        var (message, errorLine, path) = GeneratorHarness.SingleError(Header + body);
        Assert.Contains(problem, message);
        Assert.Equal(line, errorLine);
        Assert.Equal("/schemas/Broken.schema", path);
    }

    [Theory]
    [InlineData("", "no 'api")]
    [InlineData("api Broken key=90 versions=0-3 flexible=2+\nrequest\nresponse\n", "lacks advertise=")]
    [InlineData("api Broken key=90 versions=0-3 advertise=0-5 flexible=2+\nrequest\nresponse\n", "outside versions")]
    [InlineData("api Broken key=90 versions=0+ advertise=0-3 flexible=2+\nrequest\nresponse\n", "lowest and highest")]
    [InlineData("api Broken key=90 versions=0-3 advertise=0-3 flexible=2\nrequest\nresponse\n", "'+'")]
    [InlineData("api Other key=90 versions=0-3 advertise=0-3 flexible=2+\nrequest\nresponse\n", "must be named Other.schema")]
    public void ABrokenApiLineIsReported(string text, string problem)
    {
        Assert.Contains(problem, GeneratorHarness.SingleError(text).Message);
    }

    [Fact]
    public void ASoundSchemaGeneratesItsClassesAndTheCatalog()
    {
        var text = Header + """
            request flexible=1+
              Items []Item v=0+ nullable=1+
                Id uuid v=0+
                Data bytes v=1+ nullable=1+
              Again []Item v=2+
              Weight float64 v=3+ default=1.5
            response
              Maybe Box v=0+ nullable=0+ default=null
                Size uint16 v=0+ default=65535
              Tagged Box v=2+ tag=0 tagged=2+
            """.Replace("            ", "");
        var result = GeneratorHarness.Run(("/schemas/Broken.schema", text));
        Assert.Empty(result.Diagnostics);
        var sources = result.Results.Single().GeneratedSources;
        Assert.Contains(sources, s => s.HintName == "Broken.g.cs");
        Assert.Contains(sources, s => s.HintName == "ApiCatalog.g.cs");
        var code = sources.Single(s => s.HintName == "Broken.g.cs").SourceText.ToString();
        Assert.Contains("public sealed partial class BrokenRequest", code);
        Assert.Contains("public sealed partial class Item", code);
        Assert.Contains("public sealed partial class BrokenResponse", code);
        Assert.Contains("public const short FlexibleFrom = 1;", code);
    }

    [Fact]
    public void TwoSchemasWithOneApiKeyClash()
    {
        var result = GeneratorHarness.Run(
            ("/a/One.schema", "api One key=5 versions=0-1 advertise=0-1 flexible=none\nrequest\nresponse\n"),
            ("/b/Two.schema", "api Two key=5 versions=0-1 advertise=0-1 flexible=none\nrequest\nresponse\n"));
        var clash = Assert.Single(result.Diagnostics);
        Assert.Equal("ORLOGKAFKA002", clash.Id);
        Assert.Equal(DiagnosticSeverity.Error, clash.Severity);
    }
}
