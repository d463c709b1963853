using System.Diagnostics;

namespace Orlog.Client.Tests;

public sealed class ConnectionTests
{
    [Fact]
    public async Task AnUnreachableClusterFailsWithinTheConnectTimeout()
    {
        var config = new ClientConfig { BootstrapServers = "127.0.0.1:1", SocketConnectionSetupTimeoutMs = 1500 };
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ClusterUnreachableException>(() => OrlogClient.ConnectAsync(config));
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.Equal(ErrorCode.NetworkException, error.Code);
        Assert.Contains("127.0.0.1:1", error.Message);
    }

    [Fact]
    public void BuildersReportAnUnreachableClusterToo()
    {
        var config = new ProducerConfig { BootstrapServers = "127.0.0.1:1", SocketConnectionSetupTimeoutMs = 500 };
        Assert.Throws<ClusterUnreachableException>(() => new ProducerBuilder<string, string>(config).Build());
    }
}
