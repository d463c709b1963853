namespace Orlog.Grains.Cluster;

/// <summary>The controller refused this broker (its id is held by a live silo, or it belongs to another cluster): the silo stops.</summary>
public sealed class BrokerRegistrationException(string message) : Exception(message);
