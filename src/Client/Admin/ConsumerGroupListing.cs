namespace Orlog.Client;

/// <summary>A consumer group as <see cref="IAdminClient.ListConsumerGroupsAsync"/> lists it.</summary>
/// <param name="GroupId">The group's id.</param>
/// <param name="State">Kafka's state name: Empty, Stable, PreparingRebalance, CompletingRebalance, Assigning, Reconciling.</param>
/// <param name="ProtocolType">The protocol type ("consumer" for consumer groups).</param>
/// <param name="Type">Kafka's group type: "consumer" (server-side assignment, KIP-848) or "classic".</param>
public sealed record ConsumerGroupListing(string GroupId, string State, string ProtocolType, string Type);
