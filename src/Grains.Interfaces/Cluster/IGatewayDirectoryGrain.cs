namespace Orlog.Grains;

/// <summary>
/// Which gateways a client should use: those of the brokers whose silos are alive, as the silo answering sees
/// Orleans' membership. A stateless worker, so each call is answered by the gateway silo it reached; a client
/// asks several at once, each with a new grain id so that its calls spread over its gateways, and believes the
/// newest membership, so a gateway that is paused or cut off cannot keep it from learning that the gateway's silo
/// was declared dead. Each activation ends after its answer: the ids are used once.
/// </summary>
[Alias("orlog.gateway-directory")]
public interface IGatewayDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>The live brokers' gateways, as this silo's membership shows them now.</summary>
    [Alias("live-gateways")]
    Task<LiveGateways> LiveGateways();
}

/// <summary>
/// The gateways (<c>host:port</c>) of the brokers alive in one silo's view of the membership, at the version of
/// that view, and the broker that answered.
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.live-gateways")]
public sealed record LiveGateways(
    [property: Id(0)] long MembershipVersion,
    [property: Id(1)] IReadOnlyList<string> Gateways,
    [property: Id(2)] int AnsweredBy);
