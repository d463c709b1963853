namespace Orlog.EndToEnd.Tests.Cluster;

/// <summary>
/// The tests that share one local cluster (deploy/local-cluster.sh, three brokers and a private PostgreSQL),
/// started once for the collection. Not run in parallel with any other test: the cluster takes the machine's cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection : ICollectionFixture<LocalClusterFixture>
{
    public const string Name = "cluster";
}
