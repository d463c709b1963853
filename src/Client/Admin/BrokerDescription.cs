namespace Orlog.Client.Admin;

/// <summary>A broker as <see cref="IAdminClient.ListBrokersAsync"/> describes it.</summary>
/// <param name="Id">The broker id.</param>
/// <param name="Address">Its gateway, host:port, where clients reach it (null when it did not say).</param>
/// <param name="Rack">Its rack (broker.rack), or null.</param>
/// <param name="Status">"alive", "shutting-down" or "dead".</param>
/// <param name="Leaders">How many partitions it leads.</param>
/// <param name="Controller">True when its silo hosts the controller.</param>
public sealed record BrokerDescription(int Id, string? Address, string? Rack, string Status, int Leaders, bool Controller);
