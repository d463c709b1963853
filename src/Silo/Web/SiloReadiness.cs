using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orlog.Grains.Replication;

namespace Orlog.Silo.Web;

/// <summary>
/// <c>/health/ready</c>: the silo is active in the cluster, this broker is registered in the metadata it follows,
/// and every replica that metadata gives it is open. Until then (and while it shuts down) it is unhealthy.
/// </summary>
internal sealed class SiloReadiness(ISiloStatusOracle silos, ReplicaManager replicas) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = silos.CurrentStatus;
        if (status != SiloStatus.Active)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The silo is {status}, not active in the cluster."));
        }
        if (replicas.BrokerEpoch < 0)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"Broker {replicas.BrokerId} is not registered with the controller yet."));
        }
        return Task.FromResult(replicas.IsReady
            ? HealthCheckResult.Healthy($"Broker {replicas.BrokerId} is up with {replicas.Replicas.Count} replicas open.")
            : HealthCheckResult.Unhealthy($"Broker {replicas.BrokerId} has replicas it could not open (see its log)."));
    }
}
