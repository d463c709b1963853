namespace Orlog.Grains.Partitions;

/// <summary>What one replica of a partition is, by the metadata it last applied.</summary>
public enum ReplicaRole
{
    /// <summary>No metadata applied yet, or this broker is no longer a replica.</summary>
    None = 0,

    /// <summary>It takes produces and serves fetches.</summary>
    Leader = 1,

    /// <summary>Another broker leads; this one keeps a copy (replication comes with the next step).</summary>
    Follower = 2,
}
