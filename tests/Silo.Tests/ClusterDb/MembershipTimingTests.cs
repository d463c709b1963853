using Orleans.Configuration;
using Orlog.Silo.ClusterDb;

namespace Orlog.Silo.Tests.ClusterDb;

public sealed class MembershipTimingTests
{
    [Fact]
    public void TheProbeTimeoutIsAlsoTheShortestAndTheLongestIsFourTimesItUnlessSet()
    {
        var membership = new ClusterMembershipOptions();
        new MembershipTimingOptions { ProbeTimeoutMs = 3000 }.ApplyTo(membership);
        Assert.Equal(TimeSpan.FromMilliseconds(3000), membership.ProbeTimeout);
        // A silo that just joined is probed as often as one watched for long: Orleans would learn down to half.
        Assert.Equal(TimeSpan.FromMilliseconds(3000), membership.MinProbeTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(12000), membership.MaxProbeTimeout);

        new MembershipTimingOptions { ProbeTimeoutMs = 3000, MaxProbeTimeoutMs = 5000 }.ApplyTo(membership);
        Assert.Equal(TimeSpan.FromMilliseconds(5000), membership.MaxProbeTimeout);
    }

    [Fact]
    public void TheDefaultsProbeEverySecondAndTrustTrafficForTwelveSeconds()
    {
        var membership = new ClusterMembershipOptions();
        new MembershipTimingOptions().ApplyTo(membership);
        Assert.Equal(TimeSpan.FromSeconds(1), membership.ProbeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), membership.MinProbeTimeout);
        // Orleans trusts a connection's traffic for MaxProbeTimeout x NumMissedProbesLimit: 12 s, not Orleans' 60 s.
        Assert.Equal(TimeSpan.FromSeconds(12), membership.MaxProbeTimeout * membership.NumMissedProbesLimit);
    }

    [Theory]
    [InlineData(1000, 999, "Orlog:Membership:MaxProbeTimeoutMs (999) must be at least Orlog:Membership:ProbeTimeoutMs (1000).")]
    [InlineData(2000, 100, "Orlog:Membership:MaxProbeTimeoutMs must be between 200 and 240000, not 100.")]
    public void ALongestProbeTimeoutBelowTheProbeTimeoutOrOutOfRangeIsRefused(int probeTimeoutMs, int maxProbeTimeoutMs, string expected)
    {
        var options = new ClusterDbOptions { Membership = new MembershipTimingOptions { ProbeTimeoutMs = probeTimeoutMs, MaxProbeTimeoutMs = maxProbeTimeoutMs } };
        var result = new ClusterDbOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(expected, result.Failures!);
    }

    [Fact]
    public void TheDefaultsAreValid() =>
        Assert.True(new ClusterDbOptionsValidator().Validate(null, new ClusterDbOptions()).Succeeded);
}
