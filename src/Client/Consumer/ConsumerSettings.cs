namespace Orlog.Client;

/// <summary>A consumer's settings, read once from its <see cref="ConsumerConfig"/>.</summary>
internal sealed class ConsumerSettings
{
    public ConsumerSettings(ConsumerConfig config)
    {
        AutoOffsetReset = config.AutoOffsetReset;
        FetchMinBytes = config.FetchMinBytes;
        FetchMaxWaitMs = config.FetchMaxWaitMs;
        MaxPartitionFetchBytes = config.MaxPartitionFetchBytes;
        FetchMaxBytes = config.FetchMaxBytes;
        EnablePartitionEof = config.EnablePartitionEof;
        CheckCrcs = config.CheckCrcs;
        QueuedMaxBytes = config.QueuedMaxMessagesKbytes * 1024L;
        RequestTimeoutMs = config.RequestTimeoutMs;
        RetryBackoffMs = config.RetryBackoffMs;
    }

    public AutoOffsetReset AutoOffsetReset { get; }

    public int FetchMinBytes { get; }

    public int FetchMaxWaitMs { get; }

    public int MaxPartitionFetchBytes { get; }

    public int FetchMaxBytes { get; }

    public bool EnablePartitionEof { get; }

    public bool CheckCrcs { get; }

    public long QueuedMaxBytes { get; }

    public int RequestTimeoutMs { get; }

    public int RetryBackoffMs { get; }
}
