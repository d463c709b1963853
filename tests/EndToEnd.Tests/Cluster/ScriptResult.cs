namespace Orlog.EndToEnd.Tests.Cluster;

/// <summary>What a run of deploy/local-cluster.sh or of the CLI returned.</summary>
public sealed record ScriptResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Throws, with the command's stderr, unless it exited 0.</summary>
    public ScriptResult EnsureSuccess() => ExitCode == 0
        ? this
        : throw new InvalidOperationException($"'{Command}' exited {ExitCode}; stderr:\n{Stderr}\nstdout:\n{Stdout}");

    public override string ToString() => $"'{Command}' exited {ExitCode}; stdout:\n{Stdout}\nstderr:\n{Stderr}";
}
