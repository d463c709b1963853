using Orlog.Grains;

namespace Orlog.Client;

/// <summary>
/// Commits a consumer's offsets to its group and reads them back. Commits go out one at a time, each taking the
/// offsets to commit when its turn comes, so a later commit never carries an older offset. A subscribed consumer
/// commits as its member (id and epoch; STALE_MEMBER_EPOCH is retried once after the next heartbeat); an assigning
/// one commits as an admin (an empty member id and -1), which the group takes only while it has no members.
/// </summary>
internal sealed class OffsetCommitter
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly IConsumerGroupGrain _group;
    private readonly ConsumerSettings _settings;
    private readonly MembershipLoop _membership;

    public OffsetCommitter(IConsumerGroupGrain group, ConsumerSettings settings, MembershipLoop membership)
    {
        _group = group;
        _settings = settings;
        _membership = membership;
    }

    /// <summary>
    /// Commits what <paramref name="take"/> gives when this commit's turn comes (nothing: no call), as a member when
    /// <paramref name="asMember"/> says so, and reports what the group took to <paramref name="committed"/>.
    /// </summary>
    public async Task<IReadOnlyList<TopicPartitionOffset>> CommitAsync(Func<List<TopicPartitionOffset>> take, Func<bool> asMember,
        Action<List<TopicPartitionOffset>> committed, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var offsets = take();
            if (offsets.Count == 0)
            {
                return [];
            }
            await SendAsync(offsets, asMember, cancellationToken).ConfigureAwait(false);
            committed(offsets);
            return offsets;
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>The group's committed offsets of <paramref name="partitions"/> (Unset for none).</summary>
    public async Task<IReadOnlyList<TopicPartitionOffset>> FetchAsync(IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        var asked = new List<Grains.TopicPartition>(partitions.Count);
        foreach (var partition in partitions)
        {
            asked.Add(new Grains.TopicPartition(partition.Topic, partition.Partition));
        }
        var response = await GroupCall.RunAsync(_group.FetchOffsets(new OffsetFetchRequest(null, -1, asked)), _settings.GroupId, _settings.RequestTimeoutMs,
            cancellationToken).ConfigureAwait(false);
        if (response.Error != ErrorCode.None)
        {
            throw new KafkaException(response.Error, response.ErrorMessage ?? $"Reading the committed offsets of group '{_settings.GroupId}' failed.");
        }
        var result = new List<TopicPartitionOffset>(partitions.Count);
        foreach (var partition in partitions)
        {
            var committed = OffsetFetchAnswer.Find(response, partition);
            result.Add(new TopicPartitionOffset(partition, committed >= 0 ? committed : Offset.Unset));
        }
        return result;
    }

    private async Task SendAsync(List<TopicPartitionOffset> offsets, Func<bool> asMember, CancellationToken cancellationToken)
    {
        var request = offsets.ConvertAll(o => new OffsetToCommit(o.Topic, o.Partition, o.Offset.Value, -1, null));
        for (var attempt = 0; ; attempt++)
        {
            var member = asMember();
            var identity = _membership.Identity;
            var commit = member
                ? new OffsetCommitRequest(identity.MemberId, identity.Epoch, _settings.GroupInstanceId, request)
                : new OffsetCommitRequest("", -1, null, request);
            var results = await GroupCall.RunAsync(_group.CommitOffsets(commit), _settings.GroupId, _settings.RequestTimeoutMs, cancellationToken).ConfigureAwait(false);
            var failed = results.Where(r => r.Error != ErrorCode.None).ToList();
            if (failed.Count == 0)
            {
                return;
            }
            if (attempt == 0 && member && failed.Exists(r => r.Error == ErrorCode.StaleMemberEpoch))
            {
                await _membership.HeartbeatAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            var first = failed[0];
            var partitions = string.Join(", ", failed.Select(f => $"{f.Topic} [{f.Partition}] ({f.Error.KafkaName()})"));
            throw new KafkaException(first.Error, $"Group '{_settings.GroupId}' refused the commit of {partitions}. {first.ErrorMessage}".TrimEnd());
        }
    }
}
