using Orlog.Grains;

namespace Orlog.Client;

/// <summary>Asks the partitions' leaders for offsets (earliest, latest, by timestamp), one call per broker.</summary>
internal static class OffsetLookup
{
    /// <summary>
    /// One result per partition, in the order given; errors are in the results. The leaders come from
    /// <paramref name="known"/> for its topic (metadata just read from the controller), else from the client's cache.
    /// </summary>
    /// <exception cref="Orlog.Client.KafkaException">UNKNOWN_TOPIC_OR_PARTITION for an unknown topic or partition.</exception>
    public static async Task<ListOffsetsResult[]> ListAsync(OrlogClient client, IReadOnlyList<TopicPartition> partitions, long timestamp, Grains.TopicMetadata? known = null)
    {
        var byBroker = await ByLeaderAsync(client, partitions, known).ConfigureAwait(false);
        var results = new ListOffsetsResult[partitions.Count];
        var calls = new List<Task>();
        foreach (var (broker, indexes) in byBroker)
        {
            calls.Add(AskAsync(client, broker, partitions, indexes, timestamp, results));
        }
        await Task.WhenAll(calls).ConfigureAwait(false);
        return results;
    }

    /// <summary>The indexes of <paramref name="partitions"/> by the broker leading each (<see cref="Grains.PartitionMetadata.NoLeader"/> for none).</summary>
    /// <exception cref="Orlog.Client.KafkaException">UNKNOWN_TOPIC_OR_PARTITION for an unknown topic or partition.</exception>
    public static async Task<Dictionary<int, List<int>>> ByLeaderAsync(OrlogClient client, IReadOnlyList<TopicPartition> partitions, Grains.TopicMetadata? known = null)
    {
        var byBroker = new Dictionary<int, List<int>>();
        for (var i = 0; i < partitions.Count; i++)
        {
            var partition = partitions[i];
            var metadata = known is not null && known.Name == partition.Topic ? known : await client.Metadata.GetAsync(partition.Topic).ConfigureAwait(false);
            if (partition.Partition < 0 || partition.Partition >= metadata.Partitions.Count)
            {
                throw MetadataCache.UnknownPartition(partition.Topic, partition.Partition, metadata.Partitions.Count);
            }
            var leader = metadata.Partitions[partition.Partition].Leader;
            if (!byBroker.TryGetValue(leader, out var indexes))
            {
                byBroker[leader] = indexes = [];
            }
            indexes.Add(i);
        }
        return byBroker;
    }

    private static async Task AskAsync(OrlogClient client, int broker, IReadOnlyList<TopicPartition> partitions, List<int> indexes, long timestamp,
        ListOffsetsResult[] results)
    {
        var asked = new Grains.TopicPartition[indexes.Count];
        for (var i = 0; i < indexes.Count; i++)
        {
            asked[i] = new Grains.TopicPartition(partitions[indexes[i]].Topic, partitions[indexes[i]].Partition);
        }
        IReadOnlyList<ListOffsetsResult> answers;
        if (broker == Grains.PartitionMetadata.NoLeader)
        {
            answers = Failed(asked, ErrorCode.LeaderNotAvailable, "The partition has no leader now: its in-sync replicas are down.");
        }
        else
        {
            try
            {
                answers = await client.Gateway.Broker(broker).ListOffsets(asked, timestamp)
                    .WaitAsync(TimeSpan.FromMilliseconds(client.Config.RequestTimeoutMs)).ConfigureAwait(false);
            }
            catch (KafkaException error)
            {
                // The broker's silo is down (its grain cannot be placed): each partition gets the error.
                answers = Failed(asked, error.Code, error.Detail);
                client.Metadata.Invalidate(asked[0].Topic);
            }
        }
        for (var i = 0; i < indexes.Count; i++)
        {
            var answer = i < answers.Count && answers[i].Topic == asked[i].Topic && answers[i].Partition == asked[i].Partition
                ? answers[i]
                : FindAnswer(answers, asked[i]);
            results[indexes[i]] = answer;
            if (MetadataRefresh.IsNeededAfter(answer.Error))
            {
                // The leader moved (or the topic changed) since the cache was filled: the next lookup asks the controller.
                client.Metadata.Invalidate(asked[i].Topic);
            }
        }
    }

    private static ListOffsetsResult[] Failed(Grains.TopicPartition[] asked, ErrorCode error, string message) =>
        [.. asked.Select(p => new ListOffsetsResult(p.Topic, p.Partition, error, message, -1, -1))];

    private static ListOffsetsResult FindAnswer(IReadOnlyList<ListOffsetsResult> answers, Grains.TopicPartition asked)
    {
        foreach (var answer in answers)
        {
            if (answer.Topic == asked.Topic && answer.Partition == asked.Partition)
            {
                return answer;
            }
        }
        return new ListOffsetsResult(asked.Topic, asked.Partition, ErrorCode.UnknownServerError, $"The broker did not answer for {asked}.", -1, -1);
    }
}
