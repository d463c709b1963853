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
    public static FrozenSet<short> Served { get; } = FrozenSet.ToFrozenSet<short>([ApiVersionsRequest.ApiKey, MetadataRequest.ApiKey]);

    /// <summary>
    /// Handles the bytes of one request after its size prefix. Null: nothing to answer.
    /// </summary>
    /// <exception cref="KafkaProtocolException">The frame cannot be read.</exception>
    /// <exception cref="UnsupportedRequestException">An API or version not served.</exception>
    public ValueTask<KafkaResponse?> HandleAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var reader = new KafkaReader(frame);
        var header = RequestHeader.Read(ref reader);
        var version = header.ApiVersion;
        if (header.ApiKey == ApiVersionsRequest.ApiKey && ApiVersionsResponse.NeedsUnsupportedVersionAnswer(version))
        {
            // KIP-511: a client newer than the broker gets a v0 answer with the versions it may use.
            return Answer(new KafkaResponse(header.CorrelationId, 0, ApiVersionsResponse.ForUnsupportedVersion(Served), ApiVersionsResponse.UnsupportedVersionAnswerVersion));
        }
        var api = ApiCatalog.Find(header.ApiKey);
        if (api is null || !Served.Contains(header.ApiKey) || version < api.AdvertisedLowest || version > api.AdvertisedHighest)
        {
            throw new UnsupportedRequestException(header.ApiKey, version, header.ClientId);
        }
        var headerVersion = ApiCatalog.ResponseHeaderVersion(header.ApiKey, version);
        IKafkaWritable answer = header.ApiKey switch
        {
            ApiVersionsRequest.ApiKey => ApiVersions(ApiVersionsRequest.Read(ref reader, version)),
            MetadataRequest.ApiKey => MetadataHandler.Handle(MetadataRequest.Read(ref reader, version), version, backend.Cluster),
            _ => throw new UnsupportedRequestException(header.ApiKey, version, header.ClientId),
        };
        return Answer(new KafkaResponse(header.CorrelationId, headerVersion, answer, version));
    }

    private static ApiVersionsResponse ApiVersions(ApiVersionsRequest request)
    {
        _ = request; // its client software name and version are for logs and metrics, later
        return ApiVersionsResponse.FromCatalog(Served);
    }

    private static ValueTask<KafkaResponse?> Answer(KafkaResponse response) => ValueTask.FromResult<KafkaResponse?>(response);
}
