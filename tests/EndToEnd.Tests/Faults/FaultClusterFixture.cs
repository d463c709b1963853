using Orlog.EndToEnd.Tests.Cluster;

namespace Orlog.EndToEnd.Tests.Faults;

/// <summary>
/// The fault campaign's cluster: `deploy/local-cluster.sh start 3 --netns`, each broker in a network namespace of
/// its own on a bridge with PostgreSQL, so that `partition ID` can cut one off from the others and the database.
/// </summary>
public sealed class FaultClusterFixture : LocalClusterFixture
{
    protected override IReadOnlyList<string> StartOptions => ["--netns"];
}

/// <summary>The fault campaign runs alone: its brokers take the machine's cores, and its timings are measured.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection : ICollectionFixture<FaultClusterFixture>
{
    public const string Name = "faults";
}
