using System.Reflection;
using Orlog.Client.Admin;
using Orlog.Grains;

namespace Orlog.Client.Tests;

/// <summary>
/// The admin client asks partitions' leaders for their offsets. When a leader moved since the client cached the
/// metadata, the former leader answers NOT_LEADER_OR_FOLLOWER: describe routes by the metadata the controller has
/// just given it, and listing offsets forgets the cached leader so that the next call finds the new one.
/// </summary>
public sealed class AdminLeaderMoveTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private const string Topic = "admin-moved-leader";
    private const int FormerLeader = 7;

    [Fact]
    public async Task DescribeAndListOffsetsFollowALeaderThatMovedSinceTheClientCachedIt()
    {
        await fixture.Cluster.CreateTopicAsync(Topic);
        await using (var writer = fixture.Cluster.Connect())
        await using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig()).SetClient(writer).Build())
        {
            await producer.ProduceAsync(new TopicPartition(Topic, 0), new Message<Null, string> { Value = "a" });
            await producer.ProduceAsync(new TopicPartition(Topic, 0), new Message<Null, string> { Value = "b" });
        }

        var stale = true;
        await using var client = fixture.Cluster.Connect(intercept: inner => new MovedLeaderGateway(inner, () => stale));
        using var admin = new AdminClientBuilder(new ClientConfig()).SetClient(client).Build();
        Assert.Equal(FormerLeader, (await client.Metadata.GetAsync(Topic)).Partitions[0].Leader); // cached before the move
        stale = false;

        var described = await admin.DescribeTopicAsync(Topic);
        Assert.Equal(2, Assert.Single(described.Partitions).HighWatermark);

        TopicPartitionOffsetSpec[] latest = [new() { TopicPartition = new(Topic, 0), OffsetSpec = Admin.OffsetSpec.Latest() }];
        var error = await Assert.ThrowsAsync<ListOffsetsException>(() => admin.ListOffsetsAsync(latest));
        Assert.Equal(ErrorCode.NotLeaderOrFollower, error.Code);
        Assert.Equal(2, Assert.Single((await admin.ListOffsetsAsync(latest)).ResultInfos).TopicPartitionOffsetError.Offset.Value);
    }

    // While stale, the controller's topics show the former leader; that broker answers every partition NOT_LEADER_OR_FOLLOWER.
    private sealed class MovedLeaderGateway(IClusterGateway inner, Func<bool> stale) : IClusterGateway
    {
        public IControllerGrain Controller { get; } = StaleController.Wrap(inner.Controller, stale);

        public IProducerIdGrain ProducerIds => inner.ProducerIds;

        public IBrokerGrain Broker(int brokerId) => brokerId == FormerLeader ? FormerLeaderBroker.Create() : inner.Broker(brokerId);

        public IConsumerGroupGrain Group(string groupId) => inner.Group(groupId);
    }

    public class StaleController : DispatchProxy
    {
        private IControllerGrain _inner = null!;
        private Func<bool> _stale = null!;

        internal static IControllerGrain Wrap(IControllerGrain inner, Func<bool> stale)
        {
            var proxy = Create<IControllerGrain, StaleController>();
            var self = (StaleController)(object)proxy;
            self._inner = inner;
            self._stale = stale;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            return targetMethod.Name == nameof(IControllerGrain.GetTopics) && _stale()
                ? GetTopicsAsync((IReadOnlyList<string>?)args![0])
                : targetMethod.Invoke(_inner, args);
        }

        private async Task<IReadOnlyList<Grains.TopicMetadata>> GetTopicsAsync(IReadOnlyList<string>? names) =>
            [.. (await _inner.GetTopics(names)).Select(t => t with { Partitions = [.. t.Partitions.Select(p => p with { Leader = FormerLeader })] })];
    }

    public class FormerLeaderBroker : DispatchProxy
    {
        internal static IBrokerGrain Create() => Create<IBrokerGrain, FormerLeaderBroker>();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name != nameof(IBrokerGrain.ListOffsets))
            {
                throw new NotSupportedException(targetMethod.Name);
            }
            var asked = (IReadOnlyList<Grains.TopicPartition>)args![0]!;
            return Task.FromResult<IReadOnlyList<Grains.ListOffsetsResult>>(
                [.. asked.Select(p => new Grains.ListOffsetsResult(p.Topic, p.Partition, ErrorCode.NotLeaderOrFollower, $"Broker {FormerLeader} does not lead {p.Topic}-{p.Partition}.", -1, -1))]);
        }
    }
}
