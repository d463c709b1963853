namespace Orlog.Grains.Cluster;

/// <summary>
/// A part of the silo that acts on the metadata (the replica manager: the logs of deleted topics deleted,
/// changed configs applied, replicas opened and given their roles). The <see cref="MetadataCache"/> awaits every follower whenever it applies a newer
/// version, whichever way that version came (a push, a catch-up, the broker's registration).
/// </summary>
public interface IMetadataFollower
{
    /// <summary>Acts on <paramref name="current"/>; versions may arrive out of order, so an older one changes nothing.</summary>
    Task FollowAsync(ClusterMetadata current);
}
