using System.Diagnostics;
using System.Reflection;
using Orlog.Grains;

namespace Orlog.Client.Tests;

/// <summary>
/// While the broker hosting the controller is dead and not yet declared so, calls to the controller are rejected
/// undelivered; the admin client retries them within request.timeout.ms, then says so as a Kafka error.
/// </summary>
public sealed class AdminControllerRetryTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task AControllerCallRejectedUndeliveredIsRetriedUntilItGoesThrough()
    {
        RejectingController? controller = null;
        await using var client = fixture.Cluster.Connect(new ClientConfig { RetryBackoffMs = 10 },
            inner => new ControllerGateway(inner, c =>
            {
                controller = RejectingController.Create(c, rejections: 3);
                return (IControllerGrain)(object)controller;
            }));
        using var admin = new AdminClientBuilder(new ClientConfig()).SetClient(client).Build();

        await admin.ListTopicsAsync();

        Assert.Equal(4, controller!.Calls);
    }

    [Fact]
    public async Task AControllerThatStaysUnreachableIsANetworkExceptionWithinTheRequestTimeout()
    {
        await using var client = fixture.Cluster.Connect(new ClientConfig { RequestTimeoutMs = 500, RetryBackoffMs = 10 },
            inner => new ControllerGateway(inner, c => (IControllerGrain)(object)RejectingController.Create(c, rejections: int.MaxValue)));
        using var admin = new AdminClientBuilder(new ClientConfig()).SetClient(client).Build();

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAnyAsync<KafkaException>(() => admin.ListTopicsAsync());

        Assert.Equal(ErrorCode.NetworkException, error.Code);
        Assert.Contains("request.timeout.ms (500)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5));
    }

    private sealed class ControllerGateway(IClusterGateway inner, Func<IControllerGrain, IControllerGrain> wrap) : IClusterGateway
    {
        public IControllerGrain Controller { get; } = wrap(inner.Controller);

        public IProducerIdGrain ProducerIds => inner.ProducerIds;

        public IBrokerGrain Broker(int brokerId) => inner.Broker(brokerId);

        public IConsumerGroupGrain Group(string groupId) => inner.Group(groupId);
    }
}

/// <summary>A controller reference whose first calls are rejected undelivered, as Orleans does for a dead silo.</summary>
public class RejectingController : DispatchProxy
{
    private IControllerGrain _inner = null!;
    private int _rejections;
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    internal static RejectingController Create(IControllerGrain inner, int rejections)
    {
        var self = (RejectingController)(object)DispatchProxy.Create<IControllerGrain, RejectingController>();
        self._inner = inner;
        self._rejections = rejections;
        return self;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var call = Interlocked.Increment(ref _calls);
        if (call <= _rejections && targetMethod!.ReturnType.IsGenericType)
        {
            var result = targetMethod.ReturnType.GetGenericArguments()[0];
            var fromException = typeof(Task).GetMethod(nameof(Task.FromException), 1, [typeof(Exception)])!.MakeGenericMethod(result);
            return fromException.Invoke(null, [Rejection()]);
        }
        return targetMethod!.Invoke(_inner, args);
    }

    // Orleans makes this exception itself (its constructors are not public).
    private static Exception Rejection() => (Exception)Activator.CreateInstance(typeof(OrleansMessageRejectionException),
        BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, null, ["Exception while sending message: the silo is unreachable (test)"], null)!;
}
