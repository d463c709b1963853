namespace Orlog.EndToEnd.Tests.Confluent;

/// <summary>
/// Typical Confluent.Kafka programs (ConfluentPrograms/) compile against Orlog.Client with only their using line
/// changed, and behave: they run against a real silo and check what they get.
/// </summary>
public sealed class ConfluentCompatibilityTests : IAsyncLifetime
{
    private static readonly string[] _programs = ["ProducerProgram.cs", "ConsumerProgram.cs", "AdminProgram.cs"];
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "orlog-compat", Guid.NewGuid().ToString("N"));
    private SiloProcess? _silo;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_temp);
        _silo = await SiloProcess.StartAsync(Path.Combine(_temp, "data"));
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
        Directory.Delete(_temp, recursive: true);
    }

    [Fact]
    public void TheProgramsAreConfluentKafkaCodeAsTheyAre()
    {
        foreach (var program in _programs)
        {
            var (_, errors) = ProgramCompiler.Compile(program, ProgramCompiler.Source(program), againstConfluent: true);
            Assert.True(errors.Count == 0, $"{program} does not compile against Confluent.Kafka:\n{string.Join('\n', errors)}");
        }
    }

    [Fact]
    public async Task TheProgramsCompileAgainstOrlogWithOnlyTheUsingChangedAndRun()
    {
        var images = new Dictionary<string, byte[]>();
        foreach (var program in _programs)
        {
            var (image, errors) = ProgramCompiler.Compile(program, ProgramCompiler.ForOrlog(ProgramCompiler.Source(program)), againstConfluent: false);
            Assert.True(errors.Count == 0, $"{program} does not compile against Orlog.Client:\n{string.Join('\n', errors)}");
            images[program] = image!;
        }
        var topic = "compat";
        var created = await OrlogCli.RunAsync(_silo!.Bootstrap, "topics", "create", topic, "--partitions", "2");
        Assert.True(created.ExitCode == 0, created.Stderr);
        using var log = new StringWriter();
        try
        {
            await ProgramCompiler.RunAsync(images["ProducerProgram.cs"], "ProducerProgram", _silo.Bootstrap, topic, log);
            await ProgramCompiler.RunAsync(images["ConsumerProgram.cs"], "ConsumerProgram", _silo.Bootstrap, topic, 10, log);
            await ProgramCompiler.RunAsync(images["AdminProgram.cs"], "AdminProgram", _silo.Bootstrap, "compat-admin", log);
        }
        catch (Exception error)
        {
            Assert.Fail($"{error.Message}\n--- the programs' output:\n{log}");
        }
        Assert.Contains("producer done", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("consumer done", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("admin done", log.ToString(), StringComparison.Ordinal);
    }
}
