namespace Orlog.Silo.Tests.ClusterDb;

/// <summary>One private PostgreSQL server for the cluster-mode tests; each test creates its own database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PrivatePostgres? _server;

    public PrivatePostgres Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync() => _server = await PrivatePostgres.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterDbCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "cluster database";
}
