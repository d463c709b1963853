using System.Net;
using Orlog.Grains;

namespace Orlog.Client.Tests;

public sealed class GatewayListTests
{
    [Fact]
    public void TheNewestMembershipThatNamesAGatewayIsBelieved()
    {
        // A paused gateway answers with the view it had before it stopped (or not at all); the others have moved on.
        var stale = new LiveGateways(6, ["127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"], 3);
        var fresh = new LiveGateways(7, ["127.0.0.1:1", "127.0.0.1:2"], 2);
        var empty = new LiveGateways(9, [], 1);

        Assert.Same(fresh, GatewayFollower.Newest([stale, fresh, empty]));
        Assert.Same(fresh, GatewayFollower.Newest([fresh, stale]));
        Assert.Null(GatewayFollower.Newest([empty]));
        Assert.Null(GatewayFollower.Newest([]));
    }

    [Fact]
    public async Task TheListStartsFromTheBootstrapGatewaysAndNeverEmpties()
    {
        var list = new ClusterGatewayList([new IPEndPoint(IPAddress.Loopback, 30000), new IPEndPoint(IPAddress.Loopback, 30000)], TimeSpan.FromSeconds(4));
        Assert.Equal(["127.0.0.1:30000"], list.Current);
        Assert.Equal(TimeSpan.FromSeconds(4), list.MaxStaleness);

        list.Set([new IPEndPoint(IPAddress.Loopback, 30001), new IPEndPoint(IPAddress.Loopback, 30002)]);
        Assert.Equal(["127.0.0.1:30001", "127.0.0.1:30002"], list.Current);
        Assert.Equal(2, (await list.GetGateways()).Count);

        list.Set([]);
        Assert.Equal(["127.0.0.1:30001", "127.0.0.1:30002"], list.Current);
    }
}
