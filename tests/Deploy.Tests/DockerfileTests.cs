using System.Xml.Linq;

namespace Orlog.Deploy.Tests;

/// <summary>deploy/docker/Dockerfile, read instruction by instruction (no container engine runs here: it is not built).</summary>
public sealed class DockerfileTests
{
    private readonly Dockerfile _dockerfile = Dockerfile.Load(DeployFiles.Dockerfile);

    private Dictionary<string, string> ImageEnvironment => _dockerfile.Environment(_dockerfile.FinalStage);

    [Fact]
    public void It_builds_with_the_SDK_image_and_runs_on_the_ASP_NET_runtime_image()
    {
        var stages = _dockerfile.Instructions.Where(instruction => instruction.Keyword == "FROM").Select(instruction => instruction.Arguments).ToList();

        Assert.Equal(["mcr.microsoft.com/dotnet/sdk:10.0 AS build", "mcr.microsoft.com/dotnet/aspnet:10.0"], stages);
        Assert.Contains(_dockerfile.InStage(0, "RUN"), run => run.Arguments.StartsWith("dotnet publish src/Silo/Orlog.Silo.csproj -c Release", StringComparison.Ordinal));
        Assert.Contains(_dockerfile.InStage(1, "COPY"), copy => copy.Arguments.StartsWith("--from=build ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_silo_runs_as_a_user_that_is_not_root()
    {
        var user = Assert.Single(_dockerfile.InStage(_dockerfile.FinalStage, "USER")).Arguments;

        Assert.DoesNotContain(user.Split(':')[0], new[] { "", "root", "0" });
    }

    [Fact]
    public void The_data_directory_is_a_volume_and_the_silo_and_gateway_ports_are_exposed_on_every_interface()
    {
        var environment = ImageEnvironment;
        var volumes = _dockerfile.InStage(_dockerfile.FinalStage, "VOLUME").SelectMany(volume => Dockerfile.SplitWords(volume.Arguments));
        var exposed = _dockerfile.InStage(_dockerfile.FinalStage, "EXPOSE").SelectMany(expose => Dockerfile.SplitWords(expose.Arguments)).Select(port => port.Split('/')[0]);

        Assert.Contains(environment["Orlog__DataDirectory"], volumes);
        Assert.Contains(environment["Orlog__SiloPort"], exposed);
        Assert.Contains(environment["Orlog__GatewayPort"], exposed);
        // A container is reached through its own address, not loopback.
        Assert.Contains(environment["Orlog__ListenAddress"], new[] { "0.0.0.0", "::" });
    }

    [Fact]
    public void The_entrypoint_runs_the_published_Orlog_Silo_dll_in_exec_form_so_that_SIGTERM_reaches_the_silo()
    {
        var final = _dockerfile.FinalStage;
        var entrypoint = Dockerfile.ExecForm(Assert.Single(_dockerfile.InStage(final, "ENTRYPOINT")));

        Assert.NotNull(entrypoint);
        Assert.Equal("dotnet", entrypoint[0]);
        Assert.Equal("Orlog.Silo.dll", Path.GetFileName(entrypoint[1]));
        // The published files land in the final stage's working directory.
        Assert.Equal(Assert.Single(_dockerfile.InStage(final, "WORKDIR")).Arguments, Path.GetDirectoryName(entrypoint[1]));
        Assert.Contains(_dockerfile.InStage(final, "COPY"), copy => copy.Arguments == "--from=build /app ./");
        Assert.Empty(_dockerfile.InStage(final, "CMD"));
        Assert.All(_dockerfile.InStage(final, "STOPSIGNAL"), signal => Assert.Equal("SIGTERM", signal.Arguments));
    }

    [Fact]
    public void The_restore_layer_copies_the_project_file_of_every_project_the_silo_builds_from()
    {
        var instructions = _dockerfile.Instructions.Where(instruction => instruction.Stage == 0).ToList();
        var restore = instructions.FindIndex(instruction => instruction.Keyword == "RUN" && instruction.Arguments.StartsWith("dotnet restore", StringComparison.Ordinal));
        Assert.True(restore > 0, "no RUN dotnet restore in the build stage");
        var copiedBeforeRestore = instructions.Take(restore)
            .Where(instruction => instruction.Keyword == "COPY")
            .SelectMany(copy => Dockerfile.SplitWords(copy.Arguments)[..^1])
            .ToHashSet();

        foreach (var source in copiedBeforeRestore)
        {
            Assert.True(File.Exists(Path.Combine(DeployFiles.RepositoryRoot, source)), $"COPY {source}: no such file in the repository");
        }
        foreach (var project in ProjectClosure("src/Silo/Orlog.Silo.csproj"))
        {
            Assert.True(copiedBeforeRestore.Contains(project), $"{project} is not copied before dotnet restore: the restore would not see it");
        }
        Assert.Contains("Directory.Packages.props", copiedBeforeRestore);
    }

    [Fact]
    public void The_build_context_leaves_out_the_host_build_outputs()
    {
        // BuildKit reads <Dockerfile>.dockerignore beside the Dockerfile; bin/ and obj/ of a host build would break the restore.
        var ignored = File.ReadAllLines(DeployFiles.Dockerfile + ".dockerignore").Select(line => line.Trim()).ToHashSet();

        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
    }

    /// <summary>A project and every project it references, transitively, as paths relative to the repository's root.</summary>
    private static SortedSet<string> ProjectClosure(string project)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!found.Add(next))
            {
                continue;
            }
            var file = Path.Combine(DeployFiles.RepositoryRoot, next);
            foreach (var reference in XDocument.Load(file).Descendants("ProjectReference"))
            {
                var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, reference.Attribute("Include")!.Value));
                pending.Push(Path.GetRelativePath(DeployFiles.RepositoryRoot, path).Replace('\\', '/'));
            }
        }
        return found;
    }
}
