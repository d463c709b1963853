using Orlog.Log;

namespace Orlog.Grains.Controller;

/// <summary>What Orlog does with a topic config Kafka knows.</summary>
public enum TopicSettingEffect
{
    /// <summary>Orlog applies it.</summary>
    Applied,

    /// <summary>Accepted and kept on the topic, with no effect in Orlog.</summary>
    NoEffect,

    /// <summary>Refused with the reason and what to do instead.</summary>
    Refused,
}

/// <summary>One topic config by Kafka's name: what it does in Orlog, and why it has no effect or which values are refused.</summary>
public sealed record TopicSetting(string Name, TopicSettingEffect Effect, string Description, string? Why = null, Func<string, string?>? Refuse = null);

/// <summary>
/// The one definition of the topic scope: every topic config of Kafka (4.x), applied, accepted with no effect or
/// refused with a reason, plus Orlog's own. <see cref="TopicConfigs"/> checks and describes topics with it, and the
/// docs' table (docs/configuration.md) is written from it. The log's settings' ranges and defaults are the storage
/// engine's own (<see cref="LogConfig"/>), which applies them.
/// </summary>
public static class TopicSettings
{
    private const string NoCompaction = "Orlog has no log compaction: cleanup.policy is delete, so compaction settings do nothing.";
    private const string NoTieredStorage = "Orlog keeps every segment on the broker's disk: there is no tiered storage.";
    private const string BatchesAsProduced = "The broker keeps each batch as the producer compressed it (compression.type=producer).";

    private static readonly Dictionary<string, TopicSetting> _byName = new(StringComparer.Ordinal);

    static TopicSettings()
    {
        foreach (var setting in Settings())
        {
            _byName.Add(setting.Name, setting);
        }
    }

    public static IEnumerable<TopicSetting> All => _byName.Values;

    public static TopicSetting? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The known topic config nearest to a misspelt name, if any.</summary>
    public static string? Closest(string name) => Records.ConfigNames.Closest(name, _byName.Keys);

    private static IEnumerable<TopicSetting> Settings()
    {
        yield return new(LogConfig.RetentionMsName, TopicSettingEffect.Applied, "Segments whose newest record is older than this are deleted; -1 keeps them.");
        yield return new(LogConfig.RetentionBytesName, TopicSettingEffect.Applied, "The oldest segments are deleted while a partition's log is larger; -1 for no limit.");
        yield return new(LogConfig.SegmentBytesName, TopicSettingEffect.Applied, "A segment rolls before it would grow past this size.");
        yield return new(LogConfig.SegmentMsName, TopicSettingEffect.Applied, "A segment rolls once its first batch is this old.");
        yield return new(LogConfig.IndexIntervalBytesName, TopicSettingEffect.Applied, "One offset index entry per this many bytes of batches.");
        yield return new(LogConfig.SegmentIndexBytesName, TopicSettingEffect.Applied, "The largest offset index of a segment; a full index rolls the segment.");
        yield return new(LogConfig.MaxMessageBytesName, TopicSettingEffect.Applied, "The largest batch the topic accepts (after compression).");
        yield return new(LogConfig.FlushMessagesName, TopicSettingEffect.Applied, "fsync once this many records are unflushed; 1: every append is on disk before it is acknowledged.");
        yield return new(LogConfig.FlushMsName, TopicSettingEffect.Applied, "The longest an appended record waits for its fsync.");
        yield return new(LogConfig.MessageTimestampTypeName, TopicSettingEffect.Applied, "CreateTime keeps the producer's timestamps; LogAppendTime stamps the broker's clock.");
        yield return new(LogConfig.ProducerIdExpirationMsName, TopicSettingEffect.Applied, "Orlog's own at topic level: a producer's idempotence state is forgotten after this long without writes.");
        yield return new(TopicConfigs.MinInsyncReplicas, TopicSettingEffect.Applied, "With acks=all, a write needs this many in-sync replicas, or fails with NOT_ENOUGH_REPLICAS.");
        yield return new(TopicConfigs.UncleanLeaderElection, TopicSettingEffect.Applied, "Whether a replica out of sync may become leader when no in-sync one is left (losing writes).");
        yield return new(TopicConfigs.CleanupPolicy, TopicSettingEffect.Applied, "delete: old segments are deleted by retention.",
            Refuse: value => value == "delete" ? null : "Orlog has no log compaction yet: use cleanup.policy=delete, with retention.ms or retention.bytes.");
        yield return new(TopicConfigs.CompressionType, TopicSettingEffect.Applied, "producer: batches are kept as the producer compressed them.",
            Refuse: value => value == "producer" ? null : $"{BatchesAsProduced} Set compression.type on the producer instead.");
        foreach (var name in (string[])["compression.gzip.level", "compression.lz4.level", "compression.zstd.level"])
        {
            yield return new(name, TopicSettingEffect.NoEffect, "A codec's level when the broker recompresses.", BatchesAsProduced);
        }
        foreach (var name in (string[])["delete.retention.ms", "min.cleanable.dirty.ratio", "min.compaction.lag.ms", "max.compaction.lag.ms"])
        {
            yield return new(name, TopicSettingEffect.NoEffect, "A setting of log compaction.", NoCompaction);
        }
        foreach (var name in (string[])["local.retention.ms", "local.retention.bytes", "remote.log.copy.disable", "remote.log.delete.on.disable"])
        {
            yield return new(name, TopicSettingEffect.NoEffect, "A setting of tiered storage.", NoTieredStorage);
        }
        yield return new(TopicConfigs.RemoteStorage, TopicSettingEffect.Applied, "false: segments stay on the broker's disk.",
            Refuse: value => value == "false" ? null : NoTieredStorage);
        yield return new("file.delete.delay.ms", TopicSettingEffect.NoEffect, "How long a deleted segment's files stay before removal.",
            "Orlog removes a deleted segment's files once no reader holds them.");
        yield return new("preallocate", TopicSettingEffect.NoEffect, "Preallocate a new segment's file.", "Orlog's segments grow as they are written.");
        yield return new("segment.jitter.ms", TopicSettingEffect.NoEffect, "A random delay spreading segment rolls.", "Segments roll at segment.ms, without jitter.");
        yield return new("message.downconversion.enable", TopicSettingEffect.NoEffect, "Convert batches for old consumers (gone in Kafka 4).",
            "Orlog serves record batches of format 2 only, to every client.");
        yield return new("message.format.version", TopicSettingEffect.NoEffect, "The record format version (gone in Kafka 4).", "Orlog writes record batches of format 2 only.");
        foreach (var name in (string[])["message.timestamp.after.max.ms", "message.timestamp.before.max.ms", "message.timestamp.difference.max.ms"])
        {
            yield return new(name, TopicSettingEffect.NoEffect, "How far a CreateTime timestamp may be from the broker's clock.",
                "Orlog takes the producer's timestamps as given; set message.timestamp.type=LogAppendTime for the broker's clock.");
        }
        foreach (var name in (string[])["leader.replication.throttled.replicas", "follower.replication.throttled.replicas"])
        {
            yield return new(name, TopicSettingEffect.NoEffect, "The replicas whose replication traffic is throttled.",
                "Orlog throttles the traffic of a reassignment with the broker's leader.replication.throttled.rate.");
        }
    }
}
