namespace Orlog.Kafka.Protocol;

/// <summary>Every API the codec knows; the list itself is generated from the schema files.</summary>
public static partial class ApiCatalog
{
    /// <summary>ApiVersions' key: its responses always go out with response header v0.</summary>
    public const short ApiVersionsKey = 18;

    /// <summary>
    /// The request header version for <paramref name="apiKey"/> at <paramref name="apiVersion"/>. An API the
    /// codec does not know gets 1: its correlation id and client id can still be read to answer or log it.
    /// </summary>
    public static short RequestHeaderVersion(short apiKey, short apiVersion) =>
        Find(apiKey)?.RequestHeaderVersion(apiVersion) ?? 1;

    /// <summary>The response header version for <paramref name="apiKey"/> at <paramref name="apiVersion"/>.</summary>
    public static short ResponseHeaderVersion(short apiKey, short apiVersion) =>
        Find(apiKey)?.ResponseHeaderVersion(apiVersion) ?? 0;
}
