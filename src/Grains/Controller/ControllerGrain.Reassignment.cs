using Microsoft.Extensions.Logging;

namespace Orlog.Grains.Controller;

/// <summary>
/// The controller's side of replica reassignment (KIP-455): starting, replacing and cancelling reassignments,
/// listing the running ones, draining a broker, spreading replicas evenly, and unregistering a retired broker.
/// The decisions are <see cref="Reassignments"/>, <see cref="Drains"/> and <see cref="Rebalancing"/>; a
/// reassignment completes in <see cref="AlterPartitions.Decide"/> when its last target replica joins the ISR.
/// </summary>
public sealed partial class ControllerGrain
{
    public async Task<IReadOnlyList<ReassignmentResult>> AlterPartitionReassignments(IReadOnlyList<ReassignmentRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var decisions = DecideReassignments(requests);
        // Every accepted request of the call in one change: one write, one push. A failed write undoes them all.
        var failed = decisions.Any(d => d.Changed) ? await CommitAsync() : null;
        var results = new List<ReassignmentResult>(requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            var (request, decision) = (requests[i], decisions[i]);
            if (decision.Error != ErrorCode.None || failed is not null)
            {
                results.Add(new ReassignmentResult(request.Topic, request.Partition, failed?.Error ?? decision.Error, failed?.ErrorMessage ?? decision.Message, null));
                continue;
            }
            if (decision is { Changed: true, Partition: { } partition, Before: { } before })
            {
                LogReassignment(request.Topic, partition, before);
            }
            results.Add(new ReassignmentResult(request.Topic, request.Partition, ErrorCode.None, null, decision.Partition!.ToMetadata()));
        }
        return results;
    }

    public Task<ReassignmentListing> ListPartitionReassignments(string? topic)
    {
        var topics = _committed.Topics;
        if (topic is not null && !topics.ContainsKey(topic))
        {
            return Task.FromResult(new ReassignmentListing(ErrorCode.UnknownTopicOrPartition, $"Topic '{topic}' does not exist. List the topics with 'orlog topics list'.", []));
        }
        var running = new List<ReassigningPartition>();
        IEnumerable<TopicMetadata> listed = topic is null ? topics.Values.OrderBy(t => t.Name, StringComparer.Ordinal) : [topics[topic]];
        foreach (var metadata in listed)
        {
            foreach (var partition in metadata.Partitions.Where(p => p.IsReassigning))
            {
                var target = partition.Replicas.Where(r => !partition.RemovingReplicas.Contains(r)).ToArray();
                running.Add(new ReassigningPartition(metadata.Name, partition.Partition, partition.Leader, partition.Replicas, target,
                    partition.AddingReplicas, partition.RemovingReplicas, partition.Isr));
            }
        }
        return Task.FromResult(new ReassignmentListing(ErrorCode.None, null, running));
    }

    public async Task<MovePlan> DrainBroker(int brokerId, bool dryRun)
    {
        if (!_state.State.Brokers.ContainsKey(brokerId))
        {
            return MovePlan.Failed(ErrorCode.BrokerIdNotRegistered, $"Broker {brokerId} is not registered (orlog brokers list shows the brokers).");
        }
        var plan = await StartAsync(Drains.Plan(brokerId, Topics, LiveBrokers(), Racks()), dryRun);
        if (plan.Error == ErrorCode.None && !dryRun)
        {
            LogDrain(_logger, brokerId, plan.Moves.Count(m => !m.AlreadyRunning), plan.Moves.Count(m => m.AlreadyRunning));
        }
        return plan;
    }

    public async Task<MovePlan> RebalanceReplicas(string? topic, bool dryRun)
    {
        IReadOnlyDictionary<string, TopicRecord> topics = Topics;
        if (topic is not null)
        {
            if (!Topics.TryGetValue(topic, out var record))
            {
                return MovePlan.Failed(ErrorCode.UnknownTopicOrPartition, $"Topic '{topic}' does not exist. List the topics with 'orlog topics list'.");
            }
            topics = new Dictionary<string, TopicRecord>(StringComparer.Ordinal) { [topic] = record };
        }
        var plan = await StartAsync(Rebalancing.Plan(topics, LiveBrokers(), Racks()), dryRun);
        if (plan.Error == ErrorCode.None && !dryRun)
        {
            LogRebalance(_logger, topic ?? "every topic", plan.Moves.Count);
        }
        return plan;
    }

    public async Task<BrokerResult> UnregisterBroker(int brokerId)
    {
        if (!_state.State.Brokers.ContainsKey(brokerId))
        {
            return new BrokerResult(ErrorCode.BrokerIdNotRegistered, $"Broker {brokerId} is not registered (orlog brokers list shows the brokers).");
        }
        if (_silos.Brokers().TryGetValue(brokerId, out var member) && StatusOf(member.Status) != BrokerStatus.Dead)
        {
            return new BrokerResult(ErrorCode.InvalidRequest, $"Broker {brokerId} is running: stop it first (a running broker registers again when it restarts).");
        }
        var holding = Topics.SelectMany(t => t.Value.Partitions.Where(p => p.Replicas.Contains(brokerId)).Select(p => $"{t.Key}-{p.Partition}")).ToList();
        if (holding.Count > 0)
        {
            return new BrokerResult(ErrorCode.InvalidRequest,
                $"Broker {brokerId} still holds replicas of {string.Join(", ", holding.Take(10))}{(holding.Count > 10 ? $" and {holding.Count - 10} more" : "")}: drain it first (orlog brokers drain {brokerId}).");
        }
        _state.State.Brokers.Remove(brokerId);
        _shuttingDown.Remove(brokerId);
        if (await CommitAsync() is { } error)
        {
            return new BrokerResult(error.Error, error.ErrorMessage);
        }
        LogUnregistered(_logger, brokerId);
        return new BrokerResult(ErrorCode.None, null);
    }

    private List<ReassignmentDecision> DecideReassignments(IEnumerable<ReassignmentRequest> requests)
    {
        var brokers = LiveBrokers();
        var registered = _state.State.Brokers.Keys.ToHashSet();
        var preferredLeaderLeads = _logs.Defaults.AutoLeaderRebalance;
        return requests.Select(r => Reassignments.Alter(r, Topics, registered, brokers, MinInsyncReplicas, preferredLeaderLeads)).ToList();
    }

    private int MinInsyncReplicas(TopicRecord topic) => _logs.Defaults.ReplicationConfigFor(topic.Configs).MinInsyncReplicas;

    // Starts the plan's reassignments in one change, or none: a refusal (not expected: the plan was made from
    // this state) undoes the ones decided before it.
    private async Task<MovePlan> StartAsync(MovePlan plan, bool dryRun)
    {
        var requests = plan.Moves.Where(m => !m.AlreadyRunning).Select(m => new ReassignmentRequest(m.Topic, m.Partition, m.TargetReplicas)).ToList();
        if (plan.Error != ErrorCode.None || dryRun || requests.Count == 0)
        {
            return plan;
        }
        var decisions = DecideReassignments(requests);
        if (decisions.FirstOrDefault(d => d.Error != ErrorCode.None) is { } refused)
        {
            await ReadBackAsync();
            return MovePlan.Failed(refused.Error, refused.Message ?? refused.Error.KafkaName());
        }
        if (await CommitAsync() is { } error)
        {
            return MovePlan.Failed(error.Error, error.ErrorMessage ?? error.Error.KafkaName());
        }
        for (var i = 0; i < requests.Count; i++)
        {
            if (decisions[i] is { Partition: { } partition, Before: { } before })
            {
                LogReassignment(requests[i].Topic, partition, before);
            }
        }
        return plan;
    }

    private void LogReassignment(string topic, PartitionRecord partition, PartitionMetadata before)
    {
        var replicas = string.Join(',', partition.Replicas);
        if (partition.IsReassigning)
        {
            LogReassigning(_logger, topic, partition.Partition, string.Join(',', before.Replicas), string.Join(',', partition.TargetReplicas),
                string.Join(',', partition.AddingReplicas), string.Join(',', partition.RemovingReplicas));
        }
        else if (before.IsReassigning || !before.Replicas.SequenceEqual(partition.Replicas))
        {
            LogReassigned(_logger, topic, partition.Partition, replicas, partition.Leader, partition.LeaderEpoch, string.Join(',', partition.Isr));
        }
    }

    [LoggerMessage(EventId = 311, Level = LogLevel.Information, Message = "{Topic}-{Partition}: reassigning from [{Replicas}] to [{Target}]: adding [{Adding}], removing [{Removing}]")]
    private static partial void LogReassigning(ILogger logger, string topic, int partition, string replicas, string target, string adding, string removing);

    [LoggerMessage(EventId = 312, Level = LogLevel.Information, Message = "{Topic}-{Partition}: replicas now [{Replicas}], leader {Leader} at leader epoch {LeaderEpoch}, ISR [{Isr}]")]
    private static partial void LogReassigned(ILogger logger, string topic, int partition, string replicas, int leader, int leaderEpoch, string isr);

    [LoggerMessage(EventId = 313, Level = LogLevel.Information, Message = "Draining broker {BrokerId}: {Started} reassignments started, {Running} already moving off it")]
    private static partial void LogDrain(ILogger logger, int brokerId, int started, int running);

    [LoggerMessage(EventId = 314, Level = LogLevel.Information, Message = "Rebalancing {Topics}: {Moves} reassignments started")]
    private static partial void LogRebalance(ILogger logger, string topics, int moves);

    [LoggerMessage(EventId = 315, Level = LogLevel.Information, Message = "Broker {BrokerId} unregistered")]
    private static partial void LogUnregistered(ILogger logger, int brokerId);
}
