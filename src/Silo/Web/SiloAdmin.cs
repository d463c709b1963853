using Orlog.Client;

namespace Orlog.Silo.Web;

/// <summary>The SDK's admin client over the silo's own grain factory: the web API and the sampler read the cluster as the SDK and the CLI do.</summary>
internal sealed class SiloAdmin(IGrainFactory grains) : IAsyncDisposable
{
    private readonly Lazy<Task<IAdminClient>> _admin = new(() => new AdminClientBuilder(new ClientConfig()).SetGrainFactory(grains).BuildAsync());

    public Task<IAdminClient> GetAsync() => _admin.Value;

    public async ValueTask DisposeAsync()
    {
        if (_admin.IsValueCreated)
        {
            await (await _admin.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
    }
}
