using Microsoft.Extensions.Options;
using Orlog.Client;
using Orlog.Client.Admin;
using Orlog.Grains;
using Orlog.Grains.Hosting;

namespace Orlog.Silo.Web;

/// <summary>
/// The JSON API under <c>/api/</c> behind every page (docs/web.md). Structure and offsets come from the SDK's admin
/// client at each request, so the figures are the SDK's (field names as the CLI's <c>--output json</c>); sizes from
/// the brokers at each request; rates and charts from the last samples (<see cref="ClusterHistory"/>). Read only.
/// </summary>
internal static class OrlogApi
{
    public static void MapOrlogApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");
        api.MapGet("/overview", OverviewAsync);
        api.MapGet("/brokers", BrokersAsync);
        api.MapGet("/topics", TopicsAsync);
        api.MapGet("/topics/{name}", TopicAsync);
        api.MapGet("/groups", GroupsAsync);
        api.MapGet("/groups/{id}", GroupAsync);
    }

    private static async Task<IResult> OverviewAsync(SiloAdmin admin, ClusterHistory history, IOptions<BrokerOptions> broker, CancellationToken cancel)
    {
        var client = await admin.GetAsync();
        var brokers = await client.ListBrokersAsync(cancel);
        var topics = await client.DescribeAllTopicsAsync(cancel);
        var partitions = topics.SelectMany(t => t.Partitions).ToList();
        var rate = history.Total();
        return Results.Json(new
        {
            clusterId = broker.Value.ClusterId,
            brokerId = broker.Value.BrokerId,
            brokers = brokers.Count,
            brokersAlive = brokers.Count(b => b.Status == "alive"),
            topics = topics.Count,
            partitions = partitions.Count,
            underReplicated = partitions.Count(p => p.IsUnderReplicated),
            offline = partitions.Count(p => p.Leader is null),
            recordsInPerSec = rate.RecordsIn,
            recordsOutPerSec = rate.RecordsOut,
            bytesInPerSec = rate.BytesIn,
            bytesOutPerSec = rate.BytesOut,
            throughput = history.Throughput(),
        });
    }

    private static async Task<IResult> BrokersAsync(SiloAdmin admin, IGrainFactory grains, CancellationToken cancel)
    {
        var client = await admin.GetAsync();
        var brokers = await client.ListBrokersAsync(cancel);
        var statistics = await Task.WhenAll(brokers.Select(b => b.Status == "alive" ? StatisticsAsync(grains, b.Id) : Task.FromResult<BrokerStatistics?>(null)));
        return Results.Json(brokers.Zip(statistics, (b, s) => new
        {
            id = b.Id,
            address = b.Address,
            rack = b.Rack,
            status = b.Status,
            leaders = b.Leaders,
            controller = b.Controller,
            replicas = s?.Replicas.Count,
            bytesOnDisk = s?.Replicas.Sum(r => r.SizeBytes),
        }));
    }

    private static async Task<IResult> TopicsAsync(SiloAdmin admin, ClusterHistory history, CancellationToken cancel)
    {
        var client = await admin.GetAsync();
        var topics = await client.DescribeAllTopicsAsync(cancel);
        return Results.Json(topics.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t =>
        {
            var rate = history.Topic(t.Name);
            return new
            {
                name = t.Name,
                topicId = t.TopicId,
                partitions = t.Partitions.Count,
                replicationFactor = t.Partitions.Count == 0 ? 0 : t.Partitions.Max(p => p.Replicas.Count),
                underReplicated = t.Partitions.Count(p => p.IsUnderReplicated),
                records = t.Partitions.Sum(p => Math.Max(0, p.RecordCount)),
                recordsInPerSec = rate.RecordsIn,
                recordsOutPerSec = rate.RecordsOut,
            };
        }));
    }

    private static async Task<IResult> TopicAsync(string name, SiloAdmin admin, IGrainFactory grains, ClusterHistory history, CancellationToken cancel)
    {
        var client = await admin.GetAsync();
        TopicDescription topic;
        try
        {
            topic = await client.DescribeTopicAsync(name, cancel);
        }
        catch (KafkaException error) when (error.Code == ErrorCode.UnknownTopicOrPartition)
        {
            return NotFound(error);
        }
        // Log end and size from each partition's leader, as that broker reports them now.
        var leaders = topic.Partitions.Where(p => p.Leader is not null).Select(p => p.Leader!.Id).Distinct().ToList();
        var statistics = await Task.WhenAll(leaders.Select(id => StatisticsAsync(grains, id)));
        var replicas = statistics.OfType<BrokerStatistics>().SelectMany(s => s.Replicas.Where(r => r.Leader && r.Topic == name))
            .GroupBy(r => r.Partition).ToDictionary(g => g.Key, g => g.First());
        var rate = history.Topic(name);
        return Results.Json(new
        {
            name = topic.Name,
            topicId = topic.TopicId,
            configs = topic.Configs,
            recordsInPerSec = rate.RecordsIn,
            recordsOutPerSec = rate.RecordsOut,
            bytesInPerSec = rate.BytesIn,
            bytesOutPerSec = rate.BytesOut,
            partitions = topic.Partitions.Select(p => new
            {
                partition = p.Partition,
                leader = p.Leader?.Id ?? -1,
                leaderEpoch = p.LeaderEpoch,
                replicas = p.Replicas.Select(r => r.Id),
                isr = p.ISR.Select(r => r.Id),
                offlineReplicas = p.OfflineReplicas.Select(r => r.Id),
                logStartOffset = p.LogStartOffset,
                highWatermark = p.HighWatermark,
                logEndOffset = replicas.TryGetValue(p.Partition, out var r) ? r.LogEndOffset : (long?)null,
                sizeBytes = replicas.TryGetValue(p.Partition, out r) ? r.SizeBytes : (long?)null,
                recordsInPerSec = history.PartitionRecordsIn(name, p.Partition),
            }),
        });
    }

    private static async Task<IResult> GroupsAsync(SiloAdmin admin, ClusterSampler sampler, CancellationToken cancel)
    {
        var client = await admin.GetAsync();
        var groups = (await client.ListConsumerGroupsAsync(cancellationToken: cancel)).Valid;
        var sampled = sampler.Groups.ToDictionary(g => g.GroupId, StringComparer.Ordinal);
        return Results.Json(groups.OrderBy(g => g.GroupId, StringComparer.Ordinal).Select(g => new
        {
            groupId = g.GroupId,
            type = g.Type.ToString().ToLowerInvariant(),
            state = g.State.ToString(),
            protocolType = g.ProtocolType,
            members = sampled.TryGetValue(g.GroupId, out var d) ? d.Members.Count : (int?)null,
            lag = sampled.TryGetValue(g.GroupId, out d) ? ClusterSampler.TotalLag(d) : (long?)null,
        }));
    }

    private static async Task<IResult> GroupAsync(string id, SiloAdmin admin, ClusterHistory history, CancellationToken cancel)
    {
        var client = await admin.GetAsync();
        ConsumerGroupDescription group;
        try
        {
            group = await client.DescribeConsumerGroupAsync(id, cancel);
        }
        catch (KafkaException error) when (error.Code is ErrorCode.GroupIdNotFound or ErrorCode.InvalidGroupId)
        {
            return NotFound(error);
        }
        return Results.Json(new
        {
            groupId = group.GroupId,
            state = group.State.ToString(),
            type = group.GroupType.ToString().ToLowerInvariant(),
            partitionAssignor = group.PartitionAssignor,
            epoch = group.Epoch,
            coordinator = group.Coordinator?.Id ?? -1,
            members = group.Members.Select(m => new
            {
                memberId = m.ConsumerId,
                groupInstanceId = m.GroupInstanceId,
                clientId = m.ClientId,
                host = m.Host,
                assignment = m.Assignment.TopicPartitions,
            }),
            partitions = group.Partitions,
            lag = ClusterSampler.TotalLag(group),
            lagHistory = history.Lag(id),
        });
    }

    private static async Task<BrokerStatistics?> StatisticsAsync(IGrainFactory grains, int brokerId)
    {
        try
        {
            return await grains.GetGrain<IBrokerGrain>(brokerId).Statistics().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception error) when (error is TimeoutException or OrleansException)
        {
            return null;
        }
    }

    private static IResult NotFound(KafkaException error) =>
        Results.Json(new { error = error.Code.KafkaName(), message = error.Detail }, statusCode: StatusCodes.Status404NotFound);
}
