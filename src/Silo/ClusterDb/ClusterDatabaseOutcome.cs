namespace Orlog.Silo.ClusterDb;

/// <summary>What <see cref="ClusterDatabase.PrepareAsync"/> did.</summary>
public enum ClusterDatabaseOutcome
{
    /// <summary>The database was empty and got the schema.</summary>
    Created,

    /// <summary>The database already had this cluster's schema of this version: nothing changed.</summary>
    AlreadyCurrent,
}
