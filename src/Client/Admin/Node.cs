using System.Globalization;

namespace Orlog.Client;

/// <summary>A broker as the admin client's answers name it (Confluent.Kafka's Node): its id, where clients reach it and its rack.</summary>
public sealed class Node
{
    /// <summary>The broker id.</summary>
    public int Id { get; init; }

    /// <summary>The host of its gateway, or "" when it did not say.</summary>
    public string Host { get; init; } = "";

    /// <summary>The port of its gateway, or -1 when it did not say.</summary>
    public int Port { get; init; } = -1;

    /// <summary>Its rack (broker.rack), or null.</summary>
    public string? Rack { get; init; }

    /// <summary>A broker known only by its id (one that is not registered, or is not in the answer).</summary>
    internal static Node ById(int id) => new() { Id = id };

    /// <summary>A broker from its id and its gateway address, "host:port".</summary>
    internal static Node FromAddress(int id, string? address, string? rack)
    {
        var colon = address?.LastIndexOf(':') ?? -1;
        if (address is null || colon <= 0 || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return new Node { Id = id, Host = address ?? "", Rack = rack };
        }
        return new Node { Id = id, Host = address[..colon], Port = port, Rack = rack };
    }

    public override string ToString() => Port >= 0 ? $"{Id} ({Host}:{Port})" : Id.ToString(CultureInfo.InvariantCulture);
}
