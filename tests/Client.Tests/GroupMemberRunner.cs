namespace Orlog.Client.Tests;

/// <summary>
/// A group member as an application runs it: a thread calling Consume in a loop, recording each record and
/// committing after processing (each record by default, or every few records and when partitions are revoked);
/// its handler calls go to a shared <see cref="GroupEventLog"/>.
/// </summary>
internal sealed class GroupMemberRunner : IAsyncDisposable
{
    private readonly List<ConsumeResult<string, string>> _records = [];
    private readonly List<Exception> _errors = [];
    private readonly int _commitEvery;
    private readonly GroupEventLog _log;
    private readonly bool _logRecords;
    private readonly Task _loop;
    private volatile bool _stop;
    private int _stopped;
    private int _uncommitted;

    private GroupMemberRunner(string name, IConsumer<string, string> consumer, int commitEvery, GroupEventLog log, bool logRecords)
    {
        Name = name;
        Consumer = consumer;
        _commitEvery = commitEvery;
        _log = log;
        _logRecords = logRecords;
        _loop = Task.Factory.StartNew(Run, TaskCreationOptions.LongRunning);
    }

    public string Name { get; }

    public IConsumer<string, string> Consumer { get; }

    public List<ConsumeResult<string, string>> Records
    {
        get
        {
            lock (_records)
            {
                return [.. _records];
            }
        }
    }

    public List<Exception> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    public HashSet<TopicPartition> Owned => [.. Consumer.Assignment];

    public static GroupMemberRunner Start(OrlogClient client, string name, ConsumerConfig config, IEnumerable<string> topics, GroupEventLog log, int commitEvery = 1,
        bool logRecords = false)
    {
        var consumer = new ConsumerBuilder<string, string>(config)
            .SetClient(client)
            .SetPartitionsAssignedHandler((_, partitions) => log.Add(name, "assigned", partitions))
            .SetPartitionsRevokedHandler((c, partitions) =>
            {
                log.Add(name, "revoked", partitions.Select(p => p.TopicPartition));
                if (commitEvery > 1)
                {
                    c.Commit();
                }
            })
            .SetPartitionsLostHandler((_, partitions) => log.Add(name, "lost", partitions.Select(p => p.TopicPartition)))
            .Build();
        consumer.Subscribe(topics);
        return new GroupMemberRunner(name, consumer, commitEvery, log, logRecords);
    }

    /// <summary>Stops calling Consume (the consumer stays open).</summary>
    public async Task StopAsync()
    {
        _stop = true;
        await _loop;
    }

    /// <summary>Stops and closes the consumer cleanly (revoked handler, leave).</summary>
    public async Task CloseAsync()
    {
        await StopAsync();
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            Consumer.Close();
        }
    }

    /// <summary>Stops as a crashed process would: no more Consume, no heartbeat, no leave, no commit.</summary>
    public async Task KillAsync()
    {
        await StopAsync();
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            _log.Add(Name, "killed", Consumer.Assignment);
            await ((Consumer<string, string>)Consumer).StopHeartbeatsAsync();
            await Consumer.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await CloseAsync();

    private void Run()
    {
        while (!_stop)
        {
            try
            {
                var result = Consumer.Consume(TimeSpan.FromMilliseconds(50));
                if (result is null || result.IsPartitionEOF)
                {
                    continue;
                }
                lock (_records)
                {
                    _records.Add(result);
                }
                if (_logRecords)
                {
                    _log.AddRecord(Name, result.TopicPartition, result.Offset.Value);
                }
                if (_commitEvery == 1)
                {
                    Consumer.Commit(result);
                }
                else if (++_uncommitted == _commitEvery)
                {
                    _uncommitted = 0;
                    Consumer.Commit();
                }
            }
            catch (Exception error)
            {
                lock (_errors)
                {
                    _errors.Add(error);
                }
            }
        }
    }
}
