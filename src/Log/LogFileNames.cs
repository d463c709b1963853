using System.Globalization;

namespace Orlog.Log;

/// <summary>The names of the files in a partition's directory, as Kafka lays them out.</summary>
public static class LogFileNames
{
    public const string LogSuffix = ".log";
    public const string IndexSuffix = ".index";
    public const string TimeIndexSuffix = ".timeindex";
    public const string SnapshotSuffix = ".snapshot";
    public const string TemporarySuffix = ".tmp";
    public const string DeletedSuffix = ".deleted";
    public const string LeaderEpochCheckpoint = "leader-epoch-checkpoint";
    public const string RecoveryPointCheckpoint = "recovery-point-offset-checkpoint";
    public const string LogStartOffsetCheckpoint = "log-start-offset-checkpoint";
    public const string CleanShutdownMarker = "clean-shutdown";
    public const string PartitionMetadata = "partition.metadata";

    /// <summary>A base offset as the 20-digit, zero-padded file name stem Kafka uses.</summary>
    public static string OffsetStem(long offset) => offset.ToString("D20", CultureInfo.InvariantCulture);

    public static string SegmentFile(string directory, long baseOffset) => Path.Combine(directory, OffsetStem(baseOffset) + LogSuffix);

    public static string IndexFile(string directory, long baseOffset) => Path.Combine(directory, OffsetStem(baseOffset) + IndexSuffix);

    public static string TimeIndexFile(string directory, long baseOffset) => Path.Combine(directory, OffsetStem(baseOffset) + TimeIndexSuffix);

    public static string SnapshotFile(string directory, long offset) => Path.Combine(directory, OffsetStem(offset) + SnapshotSuffix);

    /// <summary>The directory of one partition replica: <c>&lt;data-dir&gt;/&lt;topic&gt;-&lt;partition&gt;</c>.</summary>
    public static string PartitionDirectory(string dataDirectory, string topic, int partition) =>
        Path.Combine(dataDirectory, topic + "-" + partition.ToString(CultureInfo.InvariantCulture));

    /// <summary>Parses "00000000000000001234.log" style names; false for anything else.</summary>
    public static bool TryParseOffsetFile(string fileName, string suffix, out long offset)
    {
        offset = -1;
        if (fileName.Length != 20 + suffix.Length || !fileName.EndsWith(suffix, StringComparison.Ordinal))
        {
            return false;
        }
        var stem = fileName.AsSpan(0, 20);
        foreach (var c in stem)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        return long.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out offset);
    }
}
