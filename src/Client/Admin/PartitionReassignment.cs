namespace Orlog.Client.Admin;

/// <summary>
/// A partition whose replicas are being reassigned (Kafka's PartitionReassignment), with how far each adding
/// replica has copied, as <see cref="IAdminClient.ListPartitionReassignmentsAsync"/> describes it.
/// </summary>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="Leader">Its leader's broker id, or -1.</param>
/// <param name="Replicas">Every replica now: the target replicas, then those being removed.</param>
/// <param name="TargetReplicas">The replicas it moves to, the preferred leader first.</param>
/// <param name="AddingReplicas">Target replicas that were not replicas before: they copy the log, then join the ISR.</param>
/// <param name="RemovingReplicas">Replicas that go (and delete their logs) once every target replica is in sync.</param>
/// <param name="Isr">The in-sync replicas.</param>
/// <param name="LeaderLogEndOffset">The leader's log end offset (-1 when it could not be asked).</param>
/// <param name="Progress">One entry per adding replica: its log end and how far behind the leader it is.</param>
public sealed record PartitionReassignment(string Topic, int Partition, int Leader, IReadOnlyList<int> Replicas, IReadOnlyList<int> TargetReplicas,
    IReadOnlyList<int> AddingReplicas, IReadOnlyList<int> RemovingReplicas, IReadOnlyList<int> Isr, long LeaderLogEndOffset,
    IReadOnlyList<AddingReplicaProgress> Progress);

/// <summary>How far an adding replica has copied its leader's log; -1 where its broker or the leader could not be asked.</summary>
/// <param name="BrokerId">The broker the replica is added on.</param>
/// <param name="InSync">Whether it has joined the ISR already.</param>
/// <param name="LogEndOffset">Its log end offset.</param>
/// <param name="OffsetsBehind">The leader's log end offset minus its own.</param>
/// <param name="SizeBytes">Its log's size on disk.</param>
/// <param name="BytesBehind">The leader's log size minus its own (0 when it is not smaller).</param>
public sealed record AddingReplicaProgress(int BrokerId, bool InSync, long LogEndOffset, long OffsetsBehind, long SizeBytes, long BytesBehind);
