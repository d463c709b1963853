using System.Diagnostics;
using Orlog.Benchmarks.Streaming;
using Orlog.Client;
using Orlog.Grains;
using TopicPartition = Orlog.Client.TopicPartition;

namespace Orlog.Benchmarks.Groups;

/// <summary>
/// Reads every record of a topic produced beforehand, timed from the first record returned to the last: once
/// by one consumer with Assign (every partition from the beginning), once by a group of consumers with Subscribe
/// (one thread each, in this process). The group forms before the clock starts: each consumer pauses the
/// partitions it is given until the group is Stable with every partition held, then all resume, so that the
/// measurement is of reading, not of who held what while members came in.
/// </summary>
internal static class GroupThroughput
{
    private static readonly TimeSpan _poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan _stall = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan _formTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The end offset (high watermark) of every partition.</summary>
    public static async Task<long[]> EndOffsetsAsync(OrlogClient client, string topic, int partitions)
    {
        await using var consumer = await new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { ClientId = "bench-watermarks" }).SetClient(client).BuildAsync();
        return [.. Enumerable.Range(0, partitions).Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(30)).High.Value)];
    }

    public static async Task<Measured> AssignAsync(OrlogClient client, ConsumerConfig config, string topic, long[] endOffsets, int recordBytes, CpuMeter meter)
    {
        await using var consumer = await new ConsumerBuilder<Ignore, byte[]>(config).SetClient(client).BuildAsync();
        var progress = new ReadProgress(endOffsets, meter.Start);
        consumer.Assign(Enumerable.Range(0, endOffsets.Length).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var reader = RunOnThread(() => Read(consumer, progress, topic), "bench-assign");
        await Task.WhenAny(progress.Finished, reader);
        var measured = meter.Stop(new Rate(endOffsets.Sum(), endOffsets.Sum() * recordBytes, progress.Elapsed));
        await reader;
        consumer.Close();
        return Checked(measured, progress, endOffsets, recordBytes);
    }

    public static async Task<Measured> GroupAsync(OrlogClient client, Func<int, ConsumerConfig> config, string topic, long[] endOffsets, int recordBytes, int consumers, CpuMeter meter)
    {
        var grains = client.GrainFactory ?? throw new InvalidOperationException("The client has no grain factory.");
        var group = grains.GetGrain<IConsumerGroupGrain>(config(0).GroupId ?? throw new ArgumentException("a group.id is needed", nameof(config)));
        var progress = new ReadProgress(endOffsets, meter.Start);
        var go = new ManualResetEventSlim();
        var members = new List<IConsumer<Ignore, byte[]>>(consumers);
        try
        {
            for (var i = 0; i < consumers; i++)
            {
                members.Add(await new ConsumerBuilder<Ignore, byte[]>(config(i))
                    .SetClient(client)
                    .SetPartitionsAssignedHandler((c, partitions) =>
                    {
                        if (!go.IsSet)
                        {
                            c.Pause(partitions);
                        }
                    })
                    .BuildAsync());
            }
            var readers = members.Select((consumer, i) => RunOnThread(() =>
            {
                consumer.Subscribe(topic);
                while (!go.IsSet)
                {
                    consumer.Consume(_poll);
                }
                consumer.Resume(consumer.Assignment);
                Read(consumer, progress, topic);
            }, $"bench-group-{i}")).ToList();

            await FormedAsync(group, members, endOffsets.Length, readers);
            go.Set();
            var reading = Task.WhenAll(readers);
            await Task.WhenAny(progress.Finished, reading);
            var measured = meter.Stop(new Rate(endOffsets.Sum(), endOffsets.Sum() * recordBytes, progress.Elapsed));
            await reading;
            return Checked(measured, progress, endOffsets, recordBytes);
        }
        finally
        {
            go.Set();
            foreach (var member in members)
            {
                member.Close();
                await member.DisposeAsync();
            }
        }
    }

    /// <summary>Waits until the group is Stable with every member holding a share of the partitions.</summary>
    private static async Task FormedAsync(IConsumerGroupGrain group, List<IConsumer<Ignore, byte[]>> members, int partitions, List<Task> readers)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (readers.FirstOrDefault(r => r.IsFaulted) is { } failed)
            {
                await failed;
            }
            var description = await group.Describe();
            if (description.State == GroupStates.Stable && description.Members.Count == members.Count
                && description.Members.Sum(m => m.Assignment.Count) == partitions && description.Members.All(m => m.Assignment.Count > 0)
                && members.Sum(m => m.Assignment.Count) == partitions)
            {
                return;
            }
            if (deadline.Elapsed > _formTimeout)
            {
                throw new TimeoutException($"The group did not form within {_formTimeout.TotalSeconds:F0} s: {description.State}, " +
                    $"{string.Join(", ", description.Members.Select(m => m.Assignment.Count))} partitions held");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>Consumes until every partition's last record was returned (by this reader or another).</summary>
    private static void Read(IConsumer<Ignore, byte[]> consumer, ReadProgress progress, string topic)
    {
        long records = 0, bytes = 0;
        var idle = Stopwatch.StartNew();
        while (!progress.Done)
        {
            var result = consumer.Consume(_poll);
            if (result is null)
            {
                if (idle.Elapsed > _stall)
                {
                    throw new TimeoutException($"{consumer.Name}: no record of {topic} within {_stall.TotalSeconds:F0} s after {records:N0}.");
                }
                continue;
            }
            if (records == 0)
            {
                progress.First();
            }
            idle.Restart();
            records++;
            bytes += result.Message!.Value.Length;
            progress.Saw(result.Partition, result.Offset.Value);
        }
        progress.Add(records, bytes);
    }

    private static Measured Checked(Measured measured, ReadProgress progress, long[] endOffsets, int recordBytes)
    {
        var total = endOffsets.Sum();
        if (progress.Records < total || progress.Bytes != progress.Records * recordBytes)
        {
            throw new InvalidOperationException($"Read {progress.Records:N0} records of {progress.Bytes:N0} value bytes, expected {total:N0} of {recordBytes} B.");
        }
        if (progress.Records > total)
        {
            Console.Error.WriteLine($"  ({progress.Records - total:N0} records were returned twice)");
        }
        return measured;
    }

    private static Task RunOnThread(Action work, string name)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                work();
                done.SetResult();
            }
            catch (Exception error)
            {
                done.SetException(error);
            }
        })
        { IsBackground = true, Name = name }.Start();
        return done.Task;
    }
}
