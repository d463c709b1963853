using Orlog.Client.Admin;
using Orlog.Grains;

namespace Orlog.Client;

/// <summary>The admin client's consumer group calls: the group directory and each group's coordinator grain.</summary>
internal sealed partial class AdminClient
{
    public Task<ListConsumerGroupsResult> ListConsumerGroupsAsync(ListConsumerGroupsOptions? options = null, CancellationToken cancellationToken = default) =>
        Within(options?.RequestTimeout, cancellationToken, async cancel =>
        {
            var states = options?.MatchStates?.ToHashSet() is { Count: > 0 } s ? s : null;
            var types = options?.MatchTypes?.ToHashSet() is { Count: > 0 } t ? t : null;
            var groups = await Call(GroupGrains().GetGrain<IGroupDirectoryGrain>(0).List(), cancel).ConfigureAwait(false);
            var listings = new List<ConsumerGroupListing>(groups.Count);
            foreach (var group in groups)
            {
                var listing = new ConsumerGroupListing
                {
                    GroupId = group.GroupId,
                    State = StateOf(group.State),
                    Type = TypeOf(group.Dialect),
                    IsSimpleConsumerGroup = group.ProtocolType.Length == 0,
                    ProtocolType = group.ProtocolType,
                };
                if ((states is null || states.Contains(listing.State)) && (types is null || types.Contains(listing.Type)))
                {
                    listings.Add(listing);
                }
            }
            listings.Sort((a, b) => string.CompareOrdinal(a.GroupId, b.GroupId));
            return new ListConsumerGroupsResult { Valid = listings };
        });

    public Task<DescribeConsumerGroupsResult> DescribeConsumerGroupsAsync(IEnumerable<string> groups, DescribeConsumerGroupsOptions? options = null,
        CancellationToken cancellationToken = default) =>
        Within(options?.RequestTimeout, cancellationToken, async cancel =>
        {
            ArgumentNullException.ThrowIfNull(groups);
            var described = new List<ConsumerGroupDescription>();
            foreach (var groupId in groups)
            {
                try
                {
                    described.Add(await DescribeConsumerGroupAsync(groupId, cancel).ConfigureAwait(false));
                }
                catch (KafkaException error)
                {
                    described.Add(new ConsumerGroupDescription { GroupId = groupId, Error = error.Error });
                }
            }
            return described.Any(d => d.Error.IsError)
                ? throw new DescribeConsumerGroupsException(new DescribeConsumerGroupsReport { ConsumerGroupDescriptions = described })
                : new DescribeConsumerGroupsResult { ConsumerGroupDescriptions = described };
        });

    public Task DeleteGroupsAsync(IList<string> groups, DeleteGroupsOptions? options = null, CancellationToken cancellationToken = default) =>
        Within(options?.RequestTimeout, cancellationToken, async cancel =>
        {
            ArgumentNullException.ThrowIfNull(groups);
            var reports = new List<DeleteGroupReport>(groups.Count);
            foreach (var groupId in groups)
            {
                reports.Add(new DeleteGroupReport { Group = groupId, Error = await OutcomeAsync(() => DeleteConsumerGroupAsync(groupId, cancel)).ConfigureAwait(false) });
            }
            return reports.Any(r => r.Error.IsError) ? throw new DeleteGroupsException(reports) : true;
        });

    public Task<List<ListConsumerGroupOffsetsResult>> ListConsumerGroupOffsetsAsync(IEnumerable<ConsumerGroupTopicPartitions> groupPartitions,
        ListConsumerGroupOffsetsOptions? options = null, CancellationToken cancellationToken = default) =>
        Within(options?.RequestTimeout, cancellationToken, async cancel =>
        {
            ArgumentNullException.ThrowIfNull(groupPartitions);
            var reports = new List<ListConsumerGroupOffsetsReport>();
            foreach (var group in groupPartitions)
            {
                try
                {
                    var offsets = await ListConsumerGroupOffsetsAsync(group.Group, group.TopicPartitions, cancel).ConfigureAwait(false);
                    reports.Add(new ListConsumerGroupOffsetsReport { Group = group.Group, Partitions = [.. offsets.Select(o => new TopicPartitionOffsetError(o, _noError))] });
                }
                catch (KafkaException error)
                {
                    reports.Add(new ListConsumerGroupOffsetsReport { Group = group.Group, Error = error.Error });
                }
            }
            return reports.Any(r => r.Error.IsError)
                ? throw new ListConsumerGroupOffsetsException(reports)
                : reports.Select(r => new ListConsumerGroupOffsetsResult { Group = r.Group, Partitions = r.Partitions }).ToList();
        });

    public Task<List<AlterConsumerGroupOffsetsResult>> AlterConsumerGroupOffsetsAsync(IEnumerable<ConsumerGroupTopicPartitionOffsets> groupPartitions,
        AlterConsumerGroupOffsetsOptions? options = null, CancellationToken cancellationToken = default) =>
        Within(options?.RequestTimeout, cancellationToken, async cancel =>
        {
            ArgumentNullException.ThrowIfNull(groupPartitions);
            var reports = new List<AlterConsumerGroupOffsetsReport>();
            foreach (var group in groupPartitions)
            {
                // The group takes all of its offsets or none: each partition carries the group's outcome.
                var error = await OutcomeAsync(() => AlterConsumerGroupOffsetsAsync(group.Group, group.TopicPartitionOffsets, cancel)).ConfigureAwait(false);
                reports.Add(new AlterConsumerGroupOffsetsReport
                {
                    Group = group.Group,
                    Error = error,
                    Partitions = [.. group.TopicPartitionOffsets.Select(o => new TopicPartitionOffsetError(o, error))],
                });
            }
            return reports.Any(r => r.Error.IsError)
                ? throw new AlterConsumerGroupOffsetsException(reports)
                : reports.Select(r => new AlterConsumerGroupOffsetsResult { Group = r.Group, Partitions = [.. r.Partitions.Select(p => p.TopicPartitionOffset)] }).ToList();
        });

    public async Task<ConsumerGroupDescription> DescribeConsumerGroupAsync(string groupId, CancellationToken cancellationToken = default)
    {
        var group = await Call(Group(groupId).Describe(), cancellationToken).ConfigureAwait(false);
        if (group.State == GroupStates.Dead)
        {
            throw GroupNotFound(groupId);
        }
        var members = new List<MemberDescription>(group.Members.Count);
        var owners = new Dictionary<TopicPartition, GroupMemberDescription>();
        foreach (var member in group.Members)
        {
            var assignment = new List<TopicPartition>(member.Assignment.Count);
            foreach (var owned in member.Assignment)
            {
                var partition = new TopicPartition(owned.Topic, owned.Partition);
                assignment.Add(partition);
                owners[partition] = member;
            }
            assignment.Sort(ComparePartitions);
            members.Add(new MemberDescription
            {
                ConsumerId = member.MemberId,
                GroupInstanceId = member.GroupInstanceId,
                ClientId = member.ClientId,
                Host = member.ClientHost,
                Assignment = new MemberAssignment { TopicPartitions = assignment },
            });
        }
        var committed = new Dictionary<TopicPartition, CommittedOffset>();
        foreach (var offset in group.Offsets)
        {
            if (offset.Offset >= 0)
            {
                committed[new TopicPartition(offset.Topic, offset.Partition)] = offset;
            }
        }
        var partitions = owners.Keys.Union(committed.Keys).ToList();
        partitions.Sort(ComparePartitions);
        var logEnds = await LogEndOffsetsAsync(partitions, cancellationToken).ConfigureAwait(false);
        var rows = new List<GroupPartitionLag>(partitions.Count);
        foreach (var partition in partitions)
        {
            var offset = committed.GetValueOrDefault(partition);
            var owner = owners.GetValueOrDefault(partition);
            var current = offset?.Offset ?? -1;
            var end = logEnds.GetValueOrDefault(partition, -1);
            long? lag = current >= 0 && end >= 0 ? Math.Max(0, end - current) : null;
            rows.Add(new GroupPartitionLag(partition, current, end, lag, owner?.MemberId, owner?.ClientHost, owner?.ClientId, offset?.Metadata));
        }
        var brokers = await Call(controller => controller.ListBrokers(), cancellationToken).ConfigureAwait(false);
        return new ConsumerGroupDescription
        {
            GroupId = group.GroupId,
            IsSimpleConsumerGroup = group.ProtocolType.Length == 0,
            PartitionAssignor = group.ProtocolName,
            State = StateOf(group.State),
            GroupType = TypeOf(group.Dialect),
            Coordinator = NodeOf(Nodes(brokers), group.Coordinator),
            Members = members,
            Epoch = group.Epoch,
            Partitions = rows,
        };
    }

    public async Task DeleteConsumerGroupAsync(string groupId, CancellationToken cancellationToken = default)
    {
        var error = await Call(Group(groupId).Delete(), cancellationToken).ConfigureAwait(false);
        switch (error)
        {
            case ErrorCode.None:
                return;
            case ErrorCode.GroupIdNotFound:
                throw GroupNotFound(groupId);
            case ErrorCode.NonEmptyGroup:
                throw new KafkaException(error, $"Consumer group '{groupId}' is not empty: it has active members. Stop them (or wait for their sessions to expire) first.");
            default:
                throw new KafkaException(error, $"Deleting consumer group '{groupId}' failed.");
        }
    }

    public async Task<IReadOnlyList<TopicPartitionOffset>> ListConsumerGroupOffsetsAsync(string groupId, IEnumerable<TopicPartition>? partitions = null,
        CancellationToken cancellationToken = default)
    {
        Grains.TopicPartition[]? asked = partitions?.Select(p => new Grains.TopicPartition(p.Topic, p.Partition)).ToArray();
        var response = await Call(Group(groupId).FetchOffsets(new OffsetFetchRequest(null, -1, asked)), cancellationToken).ConfigureAwait(false);
        if (response.Error != ErrorCode.None)
        {
            throw new KafkaException(response.Error, response.ErrorMessage ?? $"Fetching the offsets of consumer group '{groupId}' failed.");
        }
        var offsets = new List<TopicPartitionOffset>(response.Offsets.Count);
        foreach (var offset in response.Offsets)
        {
            if (offset.Offset >= 0 || asked is not null)
            {
                offsets.Add(new TopicPartitionOffset(offset.Topic, offset.Partition, offset.Offset >= 0 ? new Offset(offset.Offset) : Offset.Unset));
            }
        }
        offsets.Sort((a, b) => ComparePartitions(a.TopicPartition, b.TopicPartition));
        return offsets;
    }

    public async Task AlterConsumerGroupOffsetsAsync(string groupId, IEnumerable<TopicPartitionOffset> offsets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        var commits = new List<OffsetToCommit>();
        foreach (var offset in offsets)
        {
            if (offset.Offset.Value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(offsets), $"{offset}: an offset to commit is 0 or more.");
            }
            await CheckPartitionAsync(offset.TopicPartition).ConfigureAwait(false);
            commits.Add(new OffsetToCommit(offset.Topic, offset.Partition, offset.Offset.Value, -1, null));
        }
        if (commits.Count == 0)
        {
            return;
        }
        // An empty member id with generation -1 is an admin commit: the grain takes it only from an empty group.
        var results = await Call(Group(groupId).CommitOffsets(new OffsetCommitRequest("", -1, null, commits)), cancellationToken).ConfigureAwait(false);
        foreach (var result in results)
        {
            if (result.Error != ErrorCode.None)
            {
                throw new KafkaException(result.Error, result.ErrorMessage ?? AlterFailure(groupId, result));
            }
        }
    }

    private static string AlterFailure(string groupId, OffsetCommitResult result) => result.Error switch
    {
        ErrorCode.UnknownMemberId or ErrorCode.IllegalGeneration or ErrorCode.RebalanceInProgress =>
            $"Consumer group '{groupId}' has active members: its offsets can be altered only while it is empty. Stop its consumers first.",
        _ => $"Committing the offset of {result.Topic} [{result.Partition}] for consumer group '{groupId}' failed.",
    };

    /// <summary>UNKNOWN_TOPIC_OR_PARTITION for a topic or partition that does not exist, before anything is committed.</summary>
    private async Task CheckPartitionAsync(TopicPartition partition)
    {
        var metadata = await _client.Metadata.GetAsync(partition.Topic).ConfigureAwait(false);
        if (partition.Partition < 0 || partition.Partition >= metadata.Partitions.Count)
        {
            throw MetadataCache.UnknownPartition(partition.Topic, partition.Partition, metadata.Partitions.Count);
        }
    }

    /// <summary>The log end offsets of the partitions that still exist (a group may keep offsets of a deleted topic).</summary>
    private async Task<Dictionary<TopicPartition, long>> LogEndOffsetsAsync(List<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var topic in partitions.Select(p => p.Topic).Distinct())
        {
            var metadata = await Call(_client.Metadata.LoadAsync(topic), cancellationToken).ConfigureAwait(false);
            counts[topic] = metadata?.Partitions.Count ?? 0;
        }
        var existing = partitions.Where(p => p.Partition < counts[p.Topic]).ToArray();
        var ends = new Dictionary<TopicPartition, long>();
        if (existing.Length == 0)
        {
            return ends;
        }
        var results = await Call(OffsetLookup.ListAsync(_client, existing, Grains.OffsetSpec.Latest), cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < existing.Length; i++)
        {
            if (results[i].Error == ErrorCode.None)
            {
                ends[existing[i]] = results[i].Offset;
            }
        }
        return ends;
    }

    private IConsumerGroupGrain Group(string groupId)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        if (string.IsNullOrWhiteSpace(groupId))
        {
            throw new KafkaException(ErrorCode.InvalidGroupId, "A group id is not empty.");
        }
        return _client.Gateway.Group(groupId);
    }

    private IGrainFactory GroupGrains() =>
        _client.GrainFactory ?? throw new InvalidOperationException("Consumer groups need a connection with a grain factory.");

    private static KafkaException GroupNotFound(string groupId) => new(ErrorCode.GroupIdNotFound, $"Consumer group '{groupId}' does not exist.");

    /// <summary>Kafka 3.8's GroupType: a group that has not chosen a dialect yet is listed as classic, as Kafka lists a group made by offset commits.</summary>
    private static ConsumerGroupType TypeOf(string dialect) => dialect == GroupDialects.Consumer ? ConsumerGroupType.Consumer : ConsumerGroupType.Classic;

    /// <summary>A state by Kafka's name (the coordinator's names are Kafka's).</summary>
    private static ConsumerGroupState StateOf(string state) =>
        Enum.TryParse<ConsumerGroupState>(state, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed : ConsumerGroupState.Unknown;

    private static int ComparePartitions(TopicPartition a, TopicPartition b)
    {
        var byTopic = string.CompareOrdinal(a.Topic, b.Topic);
        return byTopic != 0 ? byTopic : a.Partition.CompareTo(b.Partition);
    }
}
