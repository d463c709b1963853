namespace Orlog.Kafka.Protocol;

/// <summary>One API as <see cref="ApiCatalog"/> lists it, from its schema file.</summary>
/// <param name="ApiKey">Kafka's API key.</param>
/// <param name="Name">Kafka's name of the API (<c>Metadata</c>).</param>
/// <param name="LowestVersion">The lowest version the codec reads and writes.</param>
/// <param name="HighestVersion">The highest version the codec reads and writes.</param>
/// <param name="AdvertisedLowest">The lowest version ApiVersions advertises.</param>
/// <param name="AdvertisedHighest">The highest version ApiVersions advertises.</param>
/// <param name="RequestFlexibleFrom">The request's first flexible version, or -1.</param>
/// <param name="ResponseFlexibleFrom">The response's first flexible version, or -1.</param>
public sealed record ApiInfo(
    short ApiKey,
    string Name,
    short LowestVersion,
    short HighestVersion,
    short AdvertisedLowest,
    short AdvertisedHighest,
    short RequestFlexibleFrom,
    short ResponseFlexibleFrom)
{
    /// <summary>True when the codec reads and writes <paramref name="version"/>.</summary>
    public bool IsSupported(short version) => version >= LowestVersion && version <= HighestVersion;

    public bool IsRequestFlexible(short version) => RequestFlexibleFrom >= 0 && version >= RequestFlexibleFrom;

    public bool IsResponseFlexible(short version) => ResponseFlexibleFrom >= 0 && version >= ResponseFlexibleFrom;

    /// <summary>
    /// The request header of <paramref name="version"/>: 2 (tagged fields) when the request is flexible, else 1.
    /// Versions beyond the highest follow the same rule, so that their header can still be read.
    /// </summary>
    public short RequestHeaderVersion(short version) => IsRequestFlexible(version) ? (short)2 : (short)1;

    /// <summary>
    /// The response header of <paramref name="version"/>: 1 (tagged fields) when the response is flexible,
    /// else 0; ApiVersions answers always use 0, since the client parses them before it knows the broker's
    /// versions.
    /// </summary>
    public short ResponseHeaderVersion(short version) =>
        ApiKey != ApiCatalog.ApiVersionsKey && IsResponseFlexible(version) ? (short)1 : (short)0;
}
