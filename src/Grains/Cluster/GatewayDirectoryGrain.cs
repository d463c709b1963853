using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orlog.Grains.Hosting;

namespace Orlog.Grains.Cluster;

/// <summary>
/// Answers with the gateways of the brokers whose silos are active in this silo's membership, from the
/// broker registry this silo holds. No I/O: membership and registry are both in memory.
/// </summary>
[StatelessWorker]
public sealed class GatewayDirectoryGrain(BrokerSilos silos, MetadataCache metadata, IOptions<BrokerOptions> broker) : Grain, IGatewayDirectoryGrain
{
    public Task<LiveGateways> LiveGateways()
    {
        var snapshot = silos.Membership.CurrentSnapshot;
        var active = snapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => m.SiloAddress.ToParsableString())
            .ToHashSet(StringComparer.Ordinal);
        var gateways = metadata.Current.Brokers
            .Where(b => b.Gateway is not null && b.SiloAddress is not null && active.Contains(b.SiloAddress))
            .OrderBy(b => b.Id)
            .Select(b => b.Gateway!)
            .ToList();
        // Clients ask with a new id each time: nothing to keep.
        DeactivateOnIdle();
        return Task.FromResult(new LiveGateways(snapshot.Version.Value, gateways, broker.Value.BrokerId));
    }
}
