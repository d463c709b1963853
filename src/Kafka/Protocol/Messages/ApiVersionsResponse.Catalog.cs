namespace Orlog.Kafka.Protocol.Messages;

/// <summary>ApiVersions answers built from <see cref="ApiCatalog"/>.</summary>
public sealed partial class ApiVersionsResponse
{
    /// <summary>The version of the answer to an ApiVersions request of a version the broker does not know.</summary>
    public const short UnsupportedVersionAnswerVersion = 0;

    /// <summary>
    /// An answer listing every API with the versions Orlog advertises, or only those in <paramref name="served"/>
    /// (a broker advertises only what it answers).
    /// </summary>
    public static ApiVersionsResponse FromCatalog(IReadOnlySet<short>? served = null)
    {
        var apis = ApiCatalog.Apis;
        var keys = new List<ApiVersion>(apis.Count);
        foreach (var api in apis)
        {
            if (served is not null && !served.Contains(api.ApiKey))
            {
                continue;
            }
            keys.Add(new ApiVersion { ApiKey = api.ApiKey, MinVersion = api.AdvertisedLowest, MaxVersion = api.AdvertisedHighest });
        }
        return new ApiVersionsResponse { ApiKeys = keys };
    }

    /// <summary>
    /// True when an ApiVersions request of <paramref name="requestVersion"/> is newer than the broker offers
    /// (above <see cref="ApiVersionsRequest.AdvertisedHighest"/>, which the codec may exceed): answer with
    /// <see cref="ForUnsupportedVersion"/> instead of reading its body, as a Kafka broker of that version would.
    /// </summary>
    public static bool NeedsUnsupportedVersionAnswer(short requestVersion) => requestVersion > ApiVersionsRequest.AdvertisedHighest;

    /// <summary>
    /// The answer to an ApiVersions request of a version the broker does not know (KIP-511): written as
    /// version 0 (<see cref="UnsupportedVersionAnswerVersion"/>) under response header v0, with
    /// UNSUPPORTED_VERSION and the full API list, so the client can retry with a version both know.
    /// </summary>
    public static ApiVersionsResponse ForUnsupportedVersion(IReadOnlySet<short>? served = null)
    {
        var answer = FromCatalog(served);
        answer.ErrorCode = (short)Orlog.Client.ErrorCode.UnsupportedVersion;
        return answer;
    }
}
