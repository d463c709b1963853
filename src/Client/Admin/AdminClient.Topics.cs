using Orlog.Client.Admin;
using Orlog.Grains;

namespace Orlog.Client;

/// <summary>The admin client's batch topic calls, cluster metadata and offsets, in Confluent.Kafka's shapes.</summary>
internal sealed partial class AdminClient
{
    public Task CreateTopicsAsync(IEnumerable<TopicSpecification> topics, CreateTopicsOptions? options = null, CancellationToken cancellationToken = default) =>
        Within(options?.RequestTimeout, cancellationToken, async cancel =>
        {
            ArgumentNullException.ThrowIfNull(topics);
            var validateOnly = options?.ValidateOnly ?? false;
            var reports = new List<CreateTopicReport>();
            foreach (var topic in topics)
            {
                reports.Add(new CreateTopicReport { Topic = topic.Name, Error = await OutcomeAsync(() => CreateOneAsync(topic, validateOnly, cancel)).ConfigureAwait(false) });
            }
            return reports.Any(r => r.Error.IsError) ? throw new CreateTopicsException(reports) : true;
        });

    private async Task CreateOneAsync(TopicSpecification topic, bool validateOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (topic.ReplicasAssignments is { Count: > 0 })
        {
            throw new KafkaException(ErrorCode.InvalidRequest,
                $"Topic '{topic.Name}': Orlog places replicas itself, so ReplicasAssignments is not taken. Create the topic with a ReplicationFactor, then move replicas with AlterPartitionReassignmentsAsync.");
        }
        var configs = topic.Configs ?? new Dictionary<string, string>();
        var created = await Call(controller => controller.CreateTopic(topic.Name, topic.NumPartitions, topic.ReplicationFactor, configs, validateOnly), cancellationToken)
            .ConfigureAwait(false);
        _client.Metadata.Invalidate(topic.Name);
        created.GetTopicOrThrow();
    }

    public Task DeleteTopicsAsync(IEnumerable<string> topics, DeleteTopicsOptions? options = null, CancellationToken cancellationToken = default) =>
        Within(options?.RequestTimeout, cancellationToken, async cancel =>
        {
            ArgumentNullException.ThrowIfNull(topics);
            var reports = new List<DeleteTopicReport>();
            foreach (var topic in topics)
            {
                reports.Add(new DeleteTopicReport { Topic = topic, Error = await OutcomeAsync(() => DeleteTopicAsync(topic, cancel)).ConfigureAwait(false) });
            }
            return reports.Any(r => r.Error.IsError) ? throw new DeleteTopicsException(reports) : true;
        });

    public Task CreatePartitionsAsync(IEnumerable<PartitionsSpecification> partitionsSpecifications, CreatePartitionsOptions? options = null,
        CancellationToken cancellationToken = default) =>
        Within(options?.RequestTimeout, cancellationToken, async cancel =>
        {
            ArgumentNullException.ThrowIfNull(partitionsSpecifications);
            var validateOnly = options?.ValidateOnly ?? false;
            var reports = new List<CreatePartitionsReport>();
            foreach (var specification in partitionsSpecifications)
            {
                reports.Add(new CreatePartitionsReport
                {
                    Topic = specification.Topic,
                    Error = await OutcomeAsync(async () =>
                    {
                        if (specification.ReplicaAssignments is { Count: > 0 })
                        {
                            throw new KafkaException(ErrorCode.InvalidRequest,
                                $"Topic '{specification.Topic}': Orlog places the replicas of new partitions itself, so ReplicaAssignments is not taken.");
                        }
                        var grown = await Call(controller => controller.AddPartitions(specification.Topic, specification.IncreaseTo, validateOnly), cancel).ConfigureAwait(false);
                        _client.Metadata.Invalidate(specification.Topic);
                        grown.GetTopicOrThrow();
                    }).ConfigureAwait(false),
                });
            }
            return reports.Any(r => r.Error.IsError) ? throw new CreatePartitionsException(reports) : true;
        });

    public Task<DescribeTopicsResult> DescribeTopicsAsync(TopicCollection topicCollection, DescribeTopicsOptions? options = null, CancellationToken cancellationToken = default) =>
        Within(options?.RequestTimeout, cancellationToken, async cancel =>
        {
            ArgumentNullException.ThrowIfNull(topicCollection);
            var described = new List<TopicDescription>(topicCollection.Names.Count);
            foreach (var name in topicCollection.Names)
            {
                try
                {
                    described.Add(await DescribeTopicAsync(name, cancel).ConfigureAwait(false));
                }
                catch (KafkaException error)
                {
                    described.Add(new TopicDescription { Name = name, Error = error.Error });
                }
            }
            return described.Any(d => d.Error.IsError)
                ? throw new DescribeTopicsException(new DescribeTopicsReport { TopicDescriptions = described })
                : new DescribeTopicsResult { TopicDescriptions = described };
        });

    public Metadata GetMetadata(TimeSpan timeout) => GetMetadataWithin(null, timeout);

    public Metadata GetMetadata(string topic, TimeSpan timeout) => GetMetadataWithin(topic ?? throw new ArgumentNullException(nameof(topic)), timeout);

    private Metadata GetMetadataWithin(string? topic, TimeSpan timeout) =>
        Task.Run(() => Within(timeout, CancellationToken.None, cancel => GetMetadataAsync(topic, cancel))).GetAwaiter().GetResult();

    public async Task<Metadata> GetMetadataAsync(string? topic = null, CancellationToken cancellationToken = default)
    {
        var cluster = await Call(controller => controller.GetMetadata(0), cancellationToken).ConfigureAwait(false) ?? ClusterMetadata.Empty;
        var brokers = cluster.Brokers.Where(b => b.Status == BrokerStatus.Alive).Select(b => Node.FromAddress(b.Id, b.Gateway, b.Rack))
            .Select(n => new BrokerMetadata(n.Id, n.Host, n.Port)).ToList();
        var topics = new List<Client.TopicMetadata>();
        foreach (var (name, metadata) in cluster.Topics.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (topic is null || topic == name)
            {
                topics.Add(new Client.TopicMetadata(name, [.. metadata.Partitions.Select(p => new Client.PartitionMetadata(p.Partition, p.Leader, [.. p.Replicas], [.. p.Isr],
                    new Error(p.Leader >= 0 ? ErrorCode.None : ErrorCode.LeaderNotAvailable)))], _noError));
            }
        }
        if (topic is not null && topics.Count == 0)
        {
            topics.Add(new Client.TopicMetadata(topic, [], new Error(ErrorCode.UnknownTopicOrPartition, $"Topic '{topic}' does not exist.")));
        }
        var origin = brokers.FirstOrDefault(b => b.BrokerId == cluster.ControllerBroker);
        return new Metadata(brokers, topics, cluster.ControllerBroker, origin is null ? "" : $"{origin.Host}:{origin.Port}/{origin.BrokerId}");
    }

    public Task<DescribeClusterResult> DescribeClusterAsync(DescribeClusterOptions? options = null, CancellationToken cancellationToken = default) =>
        Within(options?.RequestTimeout, cancellationToken, async cancel =>
        {
            var brokers = await Call(controller => controller.ListBrokers(), cancel).ConfigureAwait(false);
            var cluster = await Call(controller => controller.GetMetadata(0), cancel).ConfigureAwait(false) ?? ClusterMetadata.Empty;
            var clusterId = await Call(controller => controller.ClusterId(), cancel).ConfigureAwait(false);
            var nodes = Nodes(brokers);
            return new DescribeClusterResult
            {
                ClusterId = clusterId,
                Controller = cluster.ControllerBroker >= 0 ? NodeOf(nodes, cluster.ControllerBroker) : null,
                Nodes = [.. brokers.Where(b => b.Status == BrokerStatus.Alive).Select(b => nodes[b.Id])],
            };
        });

    public Task<Admin.ListOffsetsResult> ListOffsetsAsync(IEnumerable<TopicPartitionOffsetSpec> topicPartitionOffsetSpecs, ListOffsetsOptions? options = null,
        CancellationToken cancellationToken = default) =>
        Within(options?.RequestTimeout, cancellationToken, async cancel =>
        {
            ArgumentNullException.ThrowIfNull(topicPartitionOffsetSpecs);
            var asked = topicPartitionOffsetSpecs.ToList();
            var infos = new ListOffsetsResultInfo[asked.Count];
            // One lookup per kind of spec, each routed to the partitions' leaders.
            foreach (var kind in asked.Select((spec, index) => (spec, index)).GroupBy(s => s.spec.OffsetSpec.Timestamp))
            {
                var partitions = kind.Select(s => s.spec.TopicPartition).ToArray();
                if (kind.Key == Admin.OffsetSpec.MaxTimestampValue)
                {
                    foreach (var (spec, index) in kind)
                    {
                        infos[index] = Info(spec.TopicPartition, Offset.Unset, -1,
                            new Error(ErrorCode.UnsupportedVersion, "OffsetSpec.MaxTimestamp is not supported by Orlog yet: look up the latest offset or a timestamp."));
                    }
                    continue;
                }
                var found = await Call(OffsetLookup.ListAsync(_client, partitions, kind.Key), cancel).ConfigureAwait(false);
                var i = 0;
                foreach (var (spec, index) in kind)
                {
                    var result = found[i++];
                    infos[index] = result.Error == ErrorCode.None
                        ? Info(spec.TopicPartition, new Offset(result.Offset), result.Timestamp, _noError)
                        : Info(spec.TopicPartition, Offset.Unset, -1, new Error(result.Error, result.ErrorMessage ?? $"Listing offsets of {spec.TopicPartition} failed."));
                }
            }
            return infos.Any(r => r.TopicPartitionOffsetError.Error.IsError)
                ? throw new ListOffsetsException(new ListOffsetsReport { ResultInfos = [.. infos], Error = infos.First(r => r.TopicPartitionOffsetError.Error.IsError).TopicPartitionOffsetError.Error })
                : new Admin.ListOffsetsResult { ResultInfos = [.. infos] };
        });

    private static ListOffsetsResultInfo Info(TopicPartition partition, Offset offset, long timestamp, Error error) =>
        new() { TopicPartitionOffsetError = new TopicPartitionOffsetError(partition.Topic, partition.Partition, offset, error), Timestamp = timestamp };

    public Task<List<Admin.DeleteRecordsResult>> DeleteRecordsAsync(IEnumerable<TopicPartitionOffset> topicPartitionOffsets, DeleteRecordsOptions? options = null,
        CancellationToken cancellationToken = default) =>
        Within(options?.RequestTimeout, cancellationToken, async cancel =>
        {
            ArgumentNullException.ThrowIfNull(topicPartitionOffsets);
            var asked = topicPartitionOffsets.ToList();
            var reports = new DeleteRecordsReport[asked.Count];
            var byLeader = await OffsetLookup.ByLeaderAsync(_client, [.. asked.Select(a => a.TopicPartition)]).ConfigureAwait(false);
            foreach (var (leader, indexes) in byLeader)
            {
                // Offset.End (-1) deletes everything below the high watermark, as in Kafka.
                IReadOnlyList<Grains.DeleteRecordsResult> answers = leader == Grains.PartitionMetadata.NoLeader
                    ? [.. indexes.Select(i => new Grains.DeleteRecordsResult(asked[i].Topic, asked[i].Partition, ErrorCode.LeaderNotAvailable, "The partition has no leader now.", -1))]
                    : await Call(_client.Gateway.Broker(leader).DeleteRecords([.. indexes.Select(i => new DeleteRecordsPartition(asked[i].Topic, asked[i].Partition,
                        asked[i].Offset == Offset.End ? -1 : asked[i].Offset.Value))]), cancel).ConfigureAwait(false);
                for (var j = 0; j < indexes.Count; j++)
                {
                    var answer = answers[j];
                    var asking = asked[indexes[j]];
                    reports[indexes[j]] = new DeleteRecordsReport
                    {
                        Topic = asking.Topic,
                        Partition = asking.Partition,
                        Offset = answer.Error == ErrorCode.None ? new Offset(answer.LowWatermark) : Offset.Unset,
                        Error = answer.Error == ErrorCode.None ? _noError : new Error(answer.Error, answer.ErrorMessage ?? answer.Error.KafkaName()),
                    };
                    if (answer.Error != ErrorCode.None)
                    {
                        _client.Metadata.Invalidate(asking.Topic);
                    }
                }
            }
            return reports.Any(r => r.Error.IsError)
                ? throw new DeleteRecordsException([.. reports])
                : reports.Select(r => new Admin.DeleteRecordsResult { Topic = r.Topic, Partition = r.Partition, Offset = r.Offset }).ToList();
        });
}
