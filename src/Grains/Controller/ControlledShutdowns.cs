namespace Orlog.Grains.Controller;

/// <summary>
/// Kafka's controlled shutdown, one partition at a time: a broker about to stop hands the leadership of each
/// partition it leads to the first other in-sync replica (in replica order) that is alive and not shutting
/// down, and leaves the ISR of each partition it leads or follows, so that producers with acks=all do not
/// wait for it and no leader dies with it. Where no other replica can lead, it keeps leading and the ISR is
/// unchanged; an ISR is never left empty.
/// </summary>
public static class ControlledShutdowns
{
    /// <summary>
    /// Moves broker <paramref name="brokerId"/> out of <paramref name="partition"/>'s leadership and ISR;
    /// <paramref name="brokers"/> counts it as shutting down already. Idempotent: a second call changes nothing.
    /// </summary>
    public static ShutdownStep Leave(PartitionRecord partition, int brokerId, LiveBrokers brokers)
    {
        if (partition.Leader == brokerId)
        {
            var next = partition.Replicas.FirstOrDefault(r => r != brokerId && partition.Isr.Contains(r) && brokers.IsEligible(r), PartitionMetadata.NoLeader);
            if (next == PartitionMetadata.NoLeader)
            {
                return ShutdownStep.StillLeads;
            }
            partition.Leader = next;
            partition.Isr = partition.Isr.Where(b => b != brokerId).ToList();
            partition.LeaderEpoch++;
            partition.PartitionEpoch++;
            return ShutdownStep.LeaderMoved;
        }
        if (partition.Isr.Count > 1 && partition.Isr.Contains(brokerId))
        {
            partition.Isr = partition.Isr.Where(b => b != brokerId).ToList();
            partition.PartitionEpoch++;
            return ShutdownStep.LeftIsr;
        }
        return ShutdownStep.Unchanged;
    }
}
