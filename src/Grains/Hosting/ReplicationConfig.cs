namespace Orlog.Grains.Hosting;

/// <summary>
/// A topic's replication settings. min.insync.replicas: acks=all produces are refused with
/// NOT_ENOUGH_REPLICAS while the ISR is smaller. unclean.leader.election.enable: when every in-sync replica
/// is down, an out-of-sync one may lead (losing what it lacks) rather than the partition staying offline.
/// </summary>
public sealed record ReplicationConfig(int MinInsyncReplicas, bool UncleanLeaderElection);
