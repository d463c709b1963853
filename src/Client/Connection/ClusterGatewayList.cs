using System.Net;
using Orleans.Messaging;

namespace Orlog.Client;

/// <summary>
/// The gateways the Orleans client may send through: the bootstrap.servers at first, then the gateways of the
/// brokers the cluster shows alive, as <see cref="GatewayFollower"/> learns them (Kafka's clients likewise start
/// from the bootstrap list and then follow the brokers the metadata names). Orleans' gateway manager reads this
/// list often and closes its connections to gateways no longer on it, so calls routed through a gateway whose
/// silo was declared dead (paused, or cut off, its socket still open) move to a live one.
/// </summary>
internal sealed class ClusterGatewayList : IGatewayListProvider
{
    private IList<Uri> _gateways;

    public ClusterGatewayList(IEnumerable<IPEndPoint> bootstrap, TimeSpan maxStaleness)
    {
        _gateways = ToUris(bootstrap);
        MaxStaleness = maxStaleness;
    }

    /// <summary>How long Orleans keeps a gateway it could not connect to out of use, even if the list still names it.</summary>
    public TimeSpan MaxStaleness { get; }

    [Obsolete("Orleans considers every provider updatable.")]
    public bool IsUpdatable => true;

    /// <summary>How many gateways are on the list now.</summary>
    public int Count => Volatile.Read(ref _gateways).Count;

    /// <summary>The gateways on the list now, as <c>host:port</c>.</summary>
    public IReadOnlyList<string> Current => [.. Volatile.Read(ref _gateways).Select(u => $"{u.Host}:{u.Port}")];

    public Task InitializeGatewayListProvider() => Task.CompletedTask;

    public Task<IList<Uri>> GetGateways() => Task.FromResult(Volatile.Read(ref _gateways));

    /// <summary>Replaces the list; an empty one is ignored (a client with no gateway could never learn again).</summary>
    public void Set(IReadOnlyCollection<IPEndPoint> gateways)
    {
        if (gateways.Count > 0)
        {
            Volatile.Write(ref _gateways, ToUris(gateways));
        }
    }

    private static Uri[] ToUris(IEnumerable<IPEndPoint> endpoints) => [.. endpoints.Distinct().Select(e => e.ToGatewayUri())];
}
