using System.Globalization;
using Orlog.Client.Admin;
using Orlog.Grains;

namespace Orlog.Client;

/// <summary>
/// The admin client's replica reassignment calls (Kafka's KIP-455): the controller decides and starts them; the
/// progress of a running one comes from the brokers holding its leader and its adding replicas.
/// </summary>
internal sealed partial class AdminClient
{
    public async Task AlterPartitionReassignmentsAsync(IReadOnlyDictionary<TopicPartition, IReadOnlyList<int>?> reassignments, bool replaceRunning = true,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reassignments);
        var requests = reassignments.Select(r => new ReassignmentRequest(r.Key.Topic, r.Key.Partition, r.Value is null ? null : [.. r.Value], replaceRunning)).ToList();
        if (requests.Count == 0)
        {
            return;
        }
        var results = await Call(controller => controller.AlterPartitionReassignments(requests), cancellationToken).ConfigureAwait(false);
        foreach (var topic in requests.Select(r => r.Topic).Distinct(StringComparer.Ordinal))
        {
            _client.Metadata.Invalidate(topic);
        }
        var refused = results.Where(r => r.Error != ErrorCode.None).ToList();
        if (refused.Count == 1 && results.Count == 1)
        {
            throw new KafkaException(refused[0].Error, refused[0].ErrorMessage ?? $"The reassignment of {refused[0].Topic}-{refused[0].Partition} was refused.");
        }
        if (refused.Count > 0)
        {
            var each = string.Join("; ", refused.Select(r => $"{r.Topic}-{r.Partition}: {r.Error.KafkaName()}: {r.ErrorMessage}"));
            throw new KafkaException(refused[0].Error, string.Create(CultureInfo.InvariantCulture,
                $"{refused.Count} of {results.Count} reassignments were refused ({each}); the others were applied."));
        }
    }

    public async Task<IReadOnlyList<PartitionReassignment>> ListPartitionReassignmentsAsync(string? topic = null, CancellationToken cancellationToken = default)
    {
        var listing = await Call(controller => controller.ListPartitionReassignments(topic), cancellationToken).ConfigureAwait(false);
        if (listing.Error != ErrorCode.None)
        {
            throw new KafkaException(listing.Error, listing.ErrorMessage ?? "Listing the reassignments failed.");
        }
        var logs = await ReplicaLogsAsync(listing.Partitions, cancellationToken).ConfigureAwait(false);
        return [.. listing.Partitions.Select(p => Describe(p, logs))];
    }

    public async Task<IReadOnlyList<ReplicaMove>> DrainBrokerAsync(int brokerId, bool dryRun = false, CancellationToken cancellationToken = default) =>
        Moves(await Call(controller => controller.DrainBroker(brokerId, dryRun), cancellationToken).ConfigureAwait(false));

    public async Task<IReadOnlyList<ReplicaMove>> RebalanceReplicasAsync(string? topic = null, bool dryRun = false, CancellationToken cancellationToken = default) =>
        Moves(await Call(controller => controller.RebalanceReplicas(topic, dryRun), cancellationToken).ConfigureAwait(false));

    public async Task UnregisterBrokerAsync(int brokerId, CancellationToken cancellationToken = default)
    {
        var result = await Call(controller => controller.UnregisterBroker(brokerId), cancellationToken).ConfigureAwait(false);
        if (result.Error != ErrorCode.None)
        {
            throw new KafkaException(result.Error, result.ErrorMessage ?? $"Unregistering broker {brokerId} failed.");
        }
    }

    private static List<ReplicaMove> Moves(MovePlan plan) =>
        plan.Error != ErrorCode.None
            ? throw new KafkaException(plan.Error, plan.ErrorMessage ?? "The reassignments were refused.")
            : [.. plan.Moves.Select(m => new ReplicaMove(m.Topic, m.Partition, m.Replicas, m.TargetReplicas, m.AlreadyRunning))];

    // The logs of every leader and adding replica, asked of their brokers in parallel; a broker that does not answer is left out.
    private async Task<Dictionary<(int Broker, string Topic, int Partition), ReplicaLogInfo>> ReplicaLogsAsync(IReadOnlyList<ReassigningPartition> partitions,
        CancellationToken cancellationToken)
    {
        var asked = new Dictionary<int, List<Grains.TopicPartition>>();
        foreach (var partition in partitions)
        {
            foreach (var broker in partition.AddingReplicas.Prepend(partition.Leader).Where(b => b >= 0).Distinct())
            {
                if (!asked.TryGetValue(broker, out var list))
                {
                    asked[broker] = list = [];
                }
                list.Add(new Grains.TopicPartition(partition.Topic, partition.Partition));
            }
        }
        var logs = new Dictionary<(int, string, int), ReplicaLogInfo>();
        var answers = await Task.WhenAll(asked.Select(async ask => (Broker: ask.Key, Logs: await AskAsync(ask.Key, ask.Value).ConfigureAwait(false)))).ConfigureAwait(false);
        foreach (var (broker, infos) in answers)
        {
            foreach (var info in infos.Where(i => i.Error == ErrorCode.None))
            {
                logs[(broker, info.Topic, info.Partition)] = info;
            }
        }
        return logs;

        async Task<IReadOnlyList<ReplicaLogInfo>> AskAsync(int broker, List<Grains.TopicPartition> partitions)
        {
            try
            {
                return await _client.Gateway.Broker(broker).DescribeReplicas(partitions).WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Its silo is down or slow: the progress shows -1 for it.
                return [];
            }
        }
    }

    private static PartitionReassignment Describe(ReassigningPartition partition, Dictionary<(int Broker, string Topic, int Partition), ReplicaLogInfo> logs)
    {
        var leader = logs.GetValueOrDefault((partition.Leader, partition.Topic, partition.Partition));
        var progress = new List<AddingReplicaProgress>(partition.AddingReplicas.Count);
        foreach (var broker in partition.AddingReplicas)
        {
            var replica = logs.GetValueOrDefault((broker, partition.Topic, partition.Partition));
            var offsetsBehind = leader is null || replica is null ? -1 : Math.Max(0, leader.LogEndOffset - replica.LogEndOffset);
            var bytesBehind = leader is null || replica is null ? -1 : Math.Max(0, leader.SizeBytes - replica.SizeBytes);
            progress.Add(new AddingReplicaProgress(broker, partition.Isr.Contains(broker), replica?.LogEndOffset ?? -1, offsetsBehind, replica?.SizeBytes ?? -1, bytesBehind));
        }
        return new PartitionReassignment(partition.Topic, partition.Partition, partition.Leader, partition.Replicas, partition.TargetReplicas, partition.AddingReplicas,
            partition.RemovingReplicas, partition.Isr, leader?.LogEndOffset ?? -1, progress);
    }
}
