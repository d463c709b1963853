using YamlDotNet.RepresentationModel;

namespace Orlog.Deploy.Tests;

/// <summary>
/// Runs the StatefulSet container's command as the pod would, with the image's environment and the
/// container's env (downward API and Secret values filled in as Kubernetes would), but with a stand-in
/// <c>dotnet</c> first on PATH that records its arguments and environment: what the silo would be given.
/// </summary>
internal sealed class KubernetesBrokerStart
{
    public const string PodIp = "10.244.1.7";

    private KubernetesBrokerStart(int exitCode, string output, string[]? dotnetArgs, Dictionary<string, string> dotnetEnvironment)
    {
        ExitCode = exitCode;
        Output = output;
        DotnetArgs = dotnetArgs;
        DotnetEnvironment = dotnetEnvironment;
    }

    public int ExitCode { get; }

    public string Output { get; }

    /// <summary>The arguments dotnet was run with, or null when the command did not run it.</summary>
    public string[]? DotnetArgs { get; }

    public Dictionary<string, string> DotnetEnvironment { get; }

    /// <summary>The Orlog settings the silo would get: its environment and its command line after the dll.</summary>
    public OrlogSettings Settings =>
        OrlogSettings.From(DotnetEnvironment.Where(pair => pair.Key.StartsWith("Orlog__", StringComparison.Ordinal)), DotnetArgs![1..]);

    /// <summary>Runs the command for the pod with ordinal <paramref name="podIndex"/> (null: the label is missing, as before Kubernetes 1.28).</summary>
    public static async Task<KubernetesBrokerStart> RunAsync(int? podIndex)
    {
        var manifests = KubernetesManifests.Load();
        var container = manifests.BrokerContainer;
        var dockerfile = Dockerfile.Load(DeployFiles.Dockerfile);
        var environment = dockerfile.Environment(dockerfile.FinalStage);
        foreach (var variable in container.Items("env"))
        {
            var value = variable.Text("value") ?? ValueFrom(variable.At("valueFrom")!, podIndex, manifests);
            if (value is not null)
            {
                environment[variable.Text("name")!] = value;
            }
        }

        var directory = Directory.CreateTempSubdirectory("orlog-deploy-k8s-");
        try
        {
            var record = Path.Combine(directory.FullName, "dotnet.record");
            var fake = Path.Combine(directory.FullName, "dotnet");
            await File.WriteAllTextAsync(fake, $"#!/bin/sh\n{{ printf '%s\\n' \"$@\"; echo '--- environment'; env; }} > '{record}'\n");
            // The tests run on Linux only (the systemd and Kubernetes files are Linux's).
#pragma warning disable CA1416
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
#pragma warning restore CA1416
            environment["PATH"] = directory.FullName + ":/usr/bin:/bin";

            var command = container.Items("command").Select(word => ((YamlScalarNode)word).Value!).ToArray();
            Assert.NotEmpty(command);
            await using var shell = ChildProcess.Start(command[0], [.. command[1..], .. container.Items("args").Select(word => ((YamlScalarNode)word).Value!)], environment, directory.FullName);
            var exitCode = await shell.WaitForExitAsync(TimeSpan.FromSeconds(10));
            if (!File.Exists(record))
            {
                return new KubernetesBrokerStart(exitCode, shell.Output, null, []);
            }
            var lines = await File.ReadAllLinesAsync(record);
            var split = Array.IndexOf(lines, "--- environment");
            var recorded = lines[(split + 1)..].Where(line => line.Contains('=', StringComparison.Ordinal))
                .Select(line => line.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]);
            return new KubernetesBrokerStart(exitCode, shell.Output, lines[..split], recorded);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string? ValueFrom(YamlNode valueFrom, int? podIndex, KubernetesManifests manifests)
    {
        if (valueFrom.Text("fieldRef", "fieldPath") is { } field)
        {
            return field switch
            {
                "metadata.labels['apps.kubernetes.io/pod-index']" => podIndex?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "status.podIP" => PodIp,
                _ => throw new Xunit.Sdk.XunitException($"the test does not know what Kubernetes gives for {field}"),
            };
        }
        var secretRef = valueFrom.At("secretKeyRef") ?? throw new Xunit.Sdk.XunitException("an env valueFrom the test does not know");
        var secret = manifests.OfKind("Secret").Single(secret => secret.Text("metadata", "name") == secretRef.Text("name"));
        return secret.Text("stringData", secretRef.Text("key")!);
    }
}
