using System.Reflection;
using Orlog.Grains;

namespace Orlog.Client.Tests;

/// <summary>A controller whose broker list shows the given brokers dead; every other call goes to the real one.</summary>
public class DeadBrokersController : DispatchProxy
{
    private IControllerGrain _inner = null!;
    private System.Collections.Concurrent.ConcurrentDictionary<int, bool> _dead = null!;

    internal static IControllerGrain Wrap(IControllerGrain inner, System.Collections.Concurrent.ConcurrentDictionary<int, bool> dead)
    {
        var proxy = Create<IControllerGrain, DeadBrokersController>();
        var self = (DeadBrokersController)(object)proxy;
        self._inner = inner;
        self._dead = dead;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IControllerGrain.ListBrokers))
        {
            return ListBrokersAsync();
        }
        return targetMethod.Invoke(_inner, args);
    }

    private async Task<IReadOnlyList<BrokerInfo>> ListBrokersAsync() =>
        [.. (await _inner.ListBrokers()).Select(b => _dead.ContainsKey(b.Id) ? b with { Status = BrokerStatus.Dead } : b)];
}
