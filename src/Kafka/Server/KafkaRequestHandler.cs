using System.Collections.Frozen;
using Orlog.Kafka.Protocol;
using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Server;

/// <summary>
/// Turns one request frame into its answer: reads the header, refuses what is not served, reads the body with
/// the generated codec and calls the API's handler. Only the APIs in <see cref="Served"/> are advertised in
/// ApiVersions; the others close the connection (<see cref="UnsupportedRequestException"/>).
/// </summary>
public sealed class KafkaRequestHandler(IKafkaBackend backend)
{
    /// <summary>The API keys this broker answers, each over the versions its schema file advertises.</summary>
    public static FrozenSet<short> Served { get; } = FrozenSet.ToFrozenSet<short>(
    [
        ApiVersionsRequest.ApiKey, MetadataRequest.ApiKey, ProduceRequest.ApiKey, FetchRequest.ApiKey, ListOffsetsRequest.ApiKey,
        InitProducerIdRequest.ApiKey, FindCoordinatorRequest.ApiKey, JoinGroupRequest.ApiKey, SyncGroupRequest.ApiKey, HeartbeatRequest.ApiKey,
        LeaveGroupRequest.ApiKey, OffsetCommitRequest.ApiKey, OffsetFetchRequest.ApiKey, CreateTopicsRequest.ApiKey, DeleteTopicsRequest.ApiKey,
        CreatePartitionsRequest.ApiKey, DescribeConfigsRequest.ApiKey, AlterConfigsRequest.ApiKey, IncrementalAlterConfigsRequest.ApiKey,
        ListGroupsRequest.ApiKey, DescribeGroupsRequest.ApiKey, DeleteGroupsRequest.ApiKey, DescribeClusterRequest.ApiKey, OffsetForLeaderEpochRequest.ApiKey,
        ConsumerGroupHeartbeatRequest.ApiKey, ConsumerGroupDescribeRequest.ApiKey, DeleteRecordsRequest.ApiKey,
    ]);

    /// <summary>
    /// Handles the bytes of one request after its size prefix, from a client connected from <paramref name="clientHost"/>.
    /// Null: nothing to answer (a produce with acks=0).
    /// </summary>
    /// <exception cref="KafkaProtocolException">The frame cannot be read.</exception>
    /// <exception cref="UnsupportedRequestException">An API or version not served.</exception>
    public async ValueTask<KafkaResponse?> HandleAsync(ReadOnlyMemory<byte> frame, string clientHost, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (header, body) = ReadHeader(frame);
        var version = header.ApiVersion;
        if (header.ApiKey == ApiVersionsRequest.ApiKey && ApiVersionsResponse.NeedsUnsupportedVersionAnswer(version))
        {
            // KIP-511: a client newer than the broker gets a v0 answer with the versions it may use.
            return new KafkaResponse(header.CorrelationId, 0, ApiVersionsResponse.ForUnsupportedVersion(Served), ApiVersionsResponse.UnsupportedVersionAnswerVersion);
        }
        var api = ApiCatalog.Find(header.ApiKey);
        if (api is null || !Served.Contains(header.ApiKey) || version < api.AdvertisedLowest || version > api.AdvertisedHighest)
        {
            throw new UnsupportedRequestException(header.ApiKey, version, header.ClientId);
        }
        var headerVersion = ApiCatalog.ResponseHeaderVersion(header.ApiKey, version);
        IKafkaWritable? answer = header.ApiKey switch
        {
            ApiVersionsRequest.ApiKey => ApiVersions(Read(body, version, ApiVersionsRequest.Read)),
            MetadataRequest.ApiKey => await MetadataHandler.HandleAsync(Read(body, version, MetadataRequest.Read), version, backend, cancellationToken),
            ProduceRequest.ApiKey => await ProduceHandler.HandleAsync(Read(body, version, ProduceRequest.Read), version, backend, cancellationToken),
            FetchRequest.ApiKey => await FetchHandler.HandleAsync(Read(body, version, FetchRequest.Read), version, backend, cancellationToken),
            ListOffsetsRequest.ApiKey => await ListOffsetsHandler.HandleAsync(Read(body, version, ListOffsetsRequest.Read), version, backend, cancellationToken),
            InitProducerIdRequest.ApiKey => await InitProducerIdHandler.HandleAsync(Read(body, version, InitProducerIdRequest.Read), backend, cancellationToken),
            FindCoordinatorRequest.ApiKey => FindCoordinatorHandler.Handle(Read(body, version, FindCoordinatorRequest.Read), version, backend),
            JoinGroupRequest.ApiKey => await JoinGroupHandler.HandleAsync(Read(body, version, JoinGroupRequest.Read), version, backend,
                new KafkaClientInfo(header.ClientId ?? "", clientHost), cancellationToken),
            SyncGroupRequest.ApiKey => await SyncGroupHandler.HandleAsync(Read(body, version, SyncGroupRequest.Read), version, backend, cancellationToken),
            HeartbeatRequest.ApiKey => await HeartbeatHandler.HandleAsync(Read(body, version, HeartbeatRequest.Read), backend, cancellationToken),
            LeaveGroupRequest.ApiKey => await LeaveGroupHandler.HandleAsync(Read(body, version, LeaveGroupRequest.Read), version, backend, cancellationToken),
            OffsetCommitRequest.ApiKey => await OffsetCommitHandler.HandleAsync(Read(body, version, OffsetCommitRequest.Read), backend, cancellationToken),
            OffsetFetchRequest.ApiKey => await OffsetFetchHandler.HandleAsync(Read(body, version, OffsetFetchRequest.Read), version, backend, cancellationToken),
            CreateTopicsRequest.ApiKey => await TopicAdminHandlers.CreateAsync(Read(body, version, CreateTopicsRequest.Read), version, backend, cancellationToken),
            DeleteTopicsRequest.ApiKey => await TopicAdminHandlers.DeleteAsync(Read(body, version, DeleteTopicsRequest.Read), version, backend, cancellationToken),
            CreatePartitionsRequest.ApiKey => await TopicAdminHandlers.CreatePartitionsAsync(Read(body, version, CreatePartitionsRequest.Read), backend, cancellationToken),
            DescribeConfigsRequest.ApiKey => await ConfigHandlers.DescribeAsync(Read(body, version, DescribeConfigsRequest.Read), version, backend, cancellationToken),
            AlterConfigsRequest.ApiKey => await ConfigHandlers.AlterAsync(Read(body, version, AlterConfigsRequest.Read), backend, cancellationToken),
            IncrementalAlterConfigsRequest.ApiKey => await ConfigHandlers.IncrementalAlterAsync(Read(body, version, IncrementalAlterConfigsRequest.Read), backend, cancellationToken),
            ListGroupsRequest.ApiKey => await GroupAdminHandlers.ListAsync(Read(body, version, ListGroupsRequest.Read), version, backend, cancellationToken),
            DescribeGroupsRequest.ApiKey => await GroupAdminHandlers.DescribeAsync(Read(body, version, DescribeGroupsRequest.Read), version, backend, cancellationToken),
            DeleteGroupsRequest.ApiKey => await GroupAdminHandlers.DeleteAsync(Read(body, version, DeleteGroupsRequest.Read), backend, cancellationToken),
            OffsetForLeaderEpochRequest.ApiKey => await OffsetForLeaderEpochHandler.HandleAsync(Read(body, version, OffsetForLeaderEpochRequest.Read), backend, cancellationToken),
            ConsumerGroupHeartbeatRequest.ApiKey => await ConsumerGroupHandlers.HeartbeatAsync(Read(body, version, ConsumerGroupHeartbeatRequest.Read), backend,
                new KafkaClientInfo(header.ClientId ?? "", clientHost), cancellationToken),
            ConsumerGroupDescribeRequest.ApiKey => await ConsumerGroupHandlers.DescribeAsync(Read(body, version, ConsumerGroupDescribeRequest.Read), backend, cancellationToken),
            DeleteRecordsRequest.ApiKey => await DeleteRecordsHandler.HandleAsync(Read(body, version, DeleteRecordsRequest.Read), backend, cancellationToken),
            DescribeClusterRequest.ApiKey => DescribeClusterHandler.Handle(Read(body, version, DescribeClusterRequest.Read), version, backend.Cluster),
            _ => throw new UnsupportedRequestException(header.ApiKey, version, header.ClientId),
        };
        return answer is null ? null : new KafkaResponse(header.CorrelationId, headerVersion, answer, version);
    }

    // The reader is a ref struct, which cannot live across an await: the header and each body are read in
    // methods of their own, before the handler's first await.
    private static (RequestHeader Header, ReadOnlyMemory<byte> Body) ReadHeader(ReadOnlyMemory<byte> frame)
    {
        var reader = new KafkaReader(frame);
        var header = RequestHeader.Read(ref reader);
        return (header, frame[reader.Position..]);
    }

    private delegate T BodyReader<T>(ref KafkaReader reader, short version);

    private static T Read<T>(ReadOnlyMemory<byte> body, short version, BodyReader<T> read)
    {
        var reader = new KafkaReader(body);
        return read(ref reader, version);
    }

    private static ApiVersionsResponse ApiVersions(ApiVersionsRequest request)
    {
        _ = request; // its client software name and version are for logs and metrics, later
        return ApiVersionsResponse.FromCatalog(Served);
    }
}
