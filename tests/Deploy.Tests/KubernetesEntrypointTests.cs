namespace Orlog.Deploy.Tests;

/// <summary>The StatefulSet container's command, run under /bin/sh with a stand-in dotnet (see <see cref="KubernetesBrokerStart"/>).</summary>
public sealed class KubernetesEntrypointTests
{
    [Theory]
    [InlineData(0, "1")]
    [InlineData(2, "3")]
    [InlineData(11, "12")]
    public async Task The_pod_with_ordinal_N_runs_the_image_entrypoint_as_broker_N_plus_1(int podIndex, string brokerId)
    {
        var start = await KubernetesBrokerStart.RunAsync(podIndex);

        Assert.True(start.DotnetArgs is not null, $"dotnet was not run (exit {start.ExitCode}): {start.Output}");
        var dockerfile = Dockerfile.Load(DeployFiles.Dockerfile);
        var entrypoint = Dockerfile.ExecForm(Assert.Single(dockerfile.InStage(dockerfile.FinalStage, "ENTRYPOINT")))!;
        Assert.Equal(entrypoint[1..], start.DotnetArgs);
        Assert.Equal(brokerId, start.Settings["Orlog:BrokerId"]);
        Assert.Equal(KubernetesBrokerStart.PodIp, start.Settings["Orlog:AdvertisedAddress"]);
    }

    [Fact]
    public async Task Without_the_pod_index_label_the_pod_fails_saying_why_instead_of_starting_as_a_guessed_broker()
    {
        var start = await KubernetesBrokerStart.RunAsync(podIndex: null);

        Assert.Null(start.DotnetArgs);
        Assert.Equal(2, start.ExitCode);
        Assert.Contains("apps.kubernetes.io/pod-index", start.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_setting_a_pod_gives_the_silo_is_one_it_accepts()
    {
        var start = await KubernetesBrokerStart.RunAsync(podIndex: 1);

        SiloSettingsCheck.AssertAccepted(start.Settings, "the settings of pod orlog-broker-1");
    }
}
