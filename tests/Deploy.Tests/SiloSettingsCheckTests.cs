namespace Orlog.Deploy.Tests;

/// <summary>The settings check the other tests rely on finds what the silo would refuse.</summary>
public sealed class SiloSettingsCheckTests
{
    [Fact]
    public void Good_settings_pass()
    {
        var settings = OrlogSettings.From([new("Orlog__SiloPort", "11111"), new("Orlog__Membership__ProbeTimeoutMs", "3000")], ["--broker-id", "2"]);

        Assert.Empty(SiloSettingsCheck.Problems(settings));
    }

    [Theory]
    [InlineData("Orlog__DataDir", "/var/lib/orlog", "Orlog:DataDir")]
    [InlineData("Orlog__SiloPort", "-5", "Orlog:SiloPort")]
    [InlineData("Orlog__Membership__ProbeTimeout", "3000", "Orlog:Membership:ProbeTimeout")]
    [InlineData("Orlog__ClusterDb", "Port=5432;Database=orlog", "Orlog:ClusterDb")]
    public void A_setting_the_silo_refuses_is_reported_by_name(string name, string value, string reported)
    {
        var problems = SiloSettingsCheck.Problems(OrlogSettings.From([new(name, value)], []));

        Assert.Contains(problems, problem => problem.Contains(reported, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_command_line_wins_over_the_environment_and_maps_switches_as_the_silo_does()
    {
        var settings = OrlogSettings.From([new("Orlog__BrokerId", "7"), new("Orlog__Rack", "r1")], ["--broker-id", "1", "--data-dir", "/d", "--config", "num.partitions=3"]);

        Assert.Equal("1", settings["Orlog:BrokerId"]);
        Assert.Equal("/d", settings["Orlog:DataDirectory"]);
        Assert.Equal("r1", settings["Orlog:Rack"]);
        Assert.Equal("3", settings["Orlog:Defaults:num.partitions"]);
    }
}
