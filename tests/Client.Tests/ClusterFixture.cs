namespace Orlog.Client.Tests;

/// <summary>One cluster shared by the tests of a class; each test uses topics of its own.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private ClientCluster? _cluster;

    internal ClientCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not started.");

    public async Task InitializeAsync() => _cluster = await ClientCluster.StartAsync();

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
