using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Ck = Confluent.Kafka;

namespace Orlog.EndToEnd.Tests.Kafka;

/// <summary>
/// A consumer group of librdkafka consumers (classic protocol, Subscribe) on a real silo's Kafka listener: the
/// coordinator grain assigns through them, a member that closes hands its partitions over, commits land where
/// the Orlog SDK's admin sees them, and the SDK's view of the group's members agrees.
/// </summary>
public sealed class ConfluentGroupTests() : SiloTest("kafka-groups", "--config", "group.min.session.timeout.ms=1000")
{
    /// <summary>A group member polling on its own thread until stopped, noting every record and the partitions it was given.</summary>
    private abstract class MemberThread(string name) : IDisposable
    {
        private Thread? _thread;
        private volatile bool _stop;

        public string Name { get; } = name;

        public volatile int[] Assigned = [];

        public ConcurrentBag<string> Errors { get; } = [];

        public void Dispose()
        {
            _stop = true;
            Assert.True(_thread!.Join(TimeSpan.FromSeconds(30)), $"{Name} did not close within 30 s");
        }

        // Eager rebalances revoke everything then assign the whole set; incremental ones (KIP-848) add and remove
        // a few: keeping a set serves both.
        protected void Took(IEnumerable<int> partitions) => Assigned = [.. Assigned.Union(partitions).Order()];

        protected void Gave(IEnumerable<int> partitions) => Assigned = [.. Assigned.Except(partitions)];

        /// <summary>Polls until disposed: <paramref name="poll"/> gives a record's partition and offset or null; a consume error is noted and polling goes on.</summary>
        protected void Start(Action subscribe, Func<(int, long)?> poll, Func<Exception, string?> consumeError, Action close, ConcurrentDictionary<(int, long), string> seen)
        {
            _thread = new Thread(() =>
            {
                subscribe();
                while (!_stop)
                {
                    try
                    {
                        if (poll() is { } record)
                        {
                            seen.TryAdd(record, Name);
                        }
                    }
                    catch (Exception error) when (consumeError(error) is { } text)
                    {
                        Errors.Add(text);
                    }
                }
                close(); // commits what it consumed and leaves the group
            })
            { IsBackground = true, Name = Name };
            _thread.Start();
        }
    }

    /// <summary>A librdkafka consumer through the Kafka listener (the classic protocol, or KIP-848's with <c>serverSide</c>).</summary>
    private sealed class Member : MemberThread
    {
        public Member(string name, string bootstrap, string group, string topic, ConcurrentDictionary<(int, long), string> seen, bool serverSide = false)
            : base(name)
        {
            var config = new Ck.ConsumerConfig
            {
                BootstrapServers = bootstrap,
                GroupId = group,
                ClientId = name,
                AutoOffsetReset = AutoOffsetReset.Earliest,
                EnableAutoCommit = true,
                AutoCommitIntervalMs = 200,
            };
            if (serverSide)
            {
                // KIP-848: the broker assigns; session and heartbeat timings are the broker's, not the client's.
                config.GroupProtocol = GroupProtocol.Consumer;
            }
            else
            {
                config.SessionTimeoutMs = 6000;
                config.HeartbeatIntervalMs = 500;
            }
            var consumer = new ConsumerBuilder<Ignore, string>(config)
                .SetPartitionsAssignedHandler((_, partitions) => Took(partitions.Select(p => p.Partition.Value)))
                .SetPartitionsRevokedHandler((_, partitions) => Gave(partitions.Select(p => p.Partition.Value)))
                .Build();
            Start(() => consumer.Subscribe(topic),
                () => consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } result ? (result.Partition.Value, result.Offset.Value) : null,
                error => (error as ConsumeException)?.Error.ToString(),
                () =>
                {
                    consumer.Close();
                    consumer.Dispose();
                },
                seen);
        }
    }

    /// <summary>The same for an Orlog SDK consumer of the classic protocol, reaching the silo through Orleans instead of the Kafka listener.</summary>
    private sealed class SdkMember : MemberThread
    {
        public SdkMember(string name, string bootstrap, string group, string topic, ConcurrentDictionary<(int, long), string> seen)
            : base(name)
        {
            var config = new Client.ConsumerConfig
            {
                BootstrapServers = bootstrap,
                GroupId = group,
                ClientId = name,
                AutoOffsetReset = Client.AutoOffsetReset.Earliest,
                AutoCommitIntervalMs = 200,
                GroupProtocol = Client.GroupProtocol.Classic,
                SessionTimeoutMs = 6000,
                HeartbeatIntervalMs = 500,
            };
            var consumer = new Client.ConsumerBuilder<Client.Ignore, string>(config)
                .SetPartitionsAssignedHandler((_, partitions) => Took(partitions.Select(p => p.Partition.Value)))
                .SetPartitionsRevokedHandler((_, partitions) => Gave(partitions.Select(p => p.Partition.Value)))
                .Build();
            Start(() => consumer.Subscribe(topic),
                () => consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } result ? (result.Partition.Value, result.Offset.Value) : null,
                error => (error as Client.KafkaException)?.Error.ToString(),
                () =>
                {
                    consumer.Close();
                    consumer.Dispose();
                },
                seen);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {timeout.TotalSeconds} s: {what()}");
            await Task.Delay(100);
        }
    }

    private void Produce(string topic, int from, int count)
    {
        using var producer = new ProducerBuilder<string, string>(new Ck.ProducerConfig { BootstrapServers = Silo.KafkaBootstrap, EnableIdempotence = true }).Build();
        for (var i = from; i < from + count; i++)
        {
            producer.Produce(topic, new Message<string, string> { Key = $"k{i}", Value = $"v{i}" });
        }
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Three_Kafka_consumers_share_a_topic_hand_over_when_one_closes_and_commit_where_the_SDK_sees_it()
    {
        const string topic = "kafka-group", group = "kafka-app";
        const int partitions = 6;
        await using var client = await Client.OrlogClient.ConnectAsync(new Client.ClientConfig { BootstrapServers = Silo.Bootstrap });
        await using var admin = await new Client.AdminClientBuilder(new Client.ClientConfig()).SetClient(client).BuildAsync();
        await admin.CreateTopicAsync(topic, partitions);
        Produce(topic, 0, 600);

        var seen = new ConcurrentDictionary<(int, long), string>();
        var a = new Member("member-a", Silo.KafkaBootstrap, group, topic, seen);
        using var b = new Member("member-b", Silo.KafkaBootstrap, group, topic, seen);
        using var c = new Member("member-c", Silo.KafkaBootstrap, group, topic, seen);
        Member[] members = [a, b, c];
        string State() => $"seen {seen.Count}; assigned {string.Join(" / ", members.Select(m => $"{m.Name}: {string.Join(',', m.Assigned)}"))}; errors {string.Join(" | ", members.SelectMany(m => m.Errors))}";

        // The group settles with every partition owned by exactly one member and every member owning two.
        await WaitForAsync(() => members.All(m => m.Assigned.Length == 2) && members.SelectMany(m => m.Assigned).Distinct().Count() == partitions,
            TimeSpan.FromSeconds(60), State);
        await WaitForAsync(() => seen.Count == 600, TimeSpan.FromSeconds(60), State);

        // The SDK's admin sees the same members, with their client ids, and the same assignment.
        var described = await admin.DescribeConsumerGroupAsync(group);
        Assert.Equal(Client.ConsumerGroupType.Classic, described.GroupType);
        Assert.Equal(["member-a", "member-b", "member-c"], described.Members.Select(m => m.ClientId).Order());
        Assert.Equal(Enumerable.Range(0, partitions), described.Members.SelectMany(m => m.Assignment.TopicPartitions.Select(p => p.Partition.Value)).Order());

        // One member closes: the two others take its partitions over and read what is written next.
        var handedOver = a.Assigned;
        a.Dispose();
        await WaitForAsync(() => b.Assigned.Length + c.Assigned.Length == partitions, TimeSpan.FromSeconds(60), State);
        Produce(topic, 600, 300);
        await WaitForAsync(() => seen.Count == 900, TimeSpan.FromSeconds(60), State);
        Assert.Contains(seen, s => handedOver.Contains(s.Key.Item1) && s.Key.Item2 > 0 && s.Value != "member-a");

        b.Dispose();
        c.Dispose();
        Assert.Empty(members.SelectMany(m => m.Errors));

        // Closing committed everything read: the committed offsets, read through the SDK, are the log ends.
        var ends = (await admin.ListOffsetsAsync(Enumerable.Range(0, partitions).Select(p => new Client.Admin.TopicPartitionOffsetSpec { TopicPartition = new Client.TopicPartition(topic, p), OffsetSpec = Client.Admin.OffsetSpec.Latest() })))
            .ResultInfos.Select(r => r.TopicPartitionOffsetError);
        var committed = await admin.ListConsumerGroupOffsetsAsync(group);
        Assert.Equal(ends.Select(e => (e.Partition.Value, e.Offset.Value)).Order(), committed.Select(o => (o.Partition.Value, o.Offset.Value)).Order());
    }

    [Fact]
    public async Task A_member_killed_with_SIGKILL_is_dropped_after_its_session_timeout_and_the_other_takes_its_partitions_over()
    {
        const string topic = "kafka-group-kill", group = "kafka-app-kill";
        const int partitions = 4;
        await using var client = await Client.OrlogClient.ConnectAsync(new Client.ClientConfig { BootstrapServers = Silo.Bootstrap });
        await using var admin = await new Client.AdminClientBuilder(new Client.ClientConfig()).SetClient(client).BuildAsync();
        await admin.CreateTopicAsync(topic, partitions);
        Produce(topic, 0, 400);

        var seen = new ConcurrentDictionary<(int, long), string>();
        using var survivor = new Member("member-b", Silo.KafkaBootstrap, group, topic, seen);
        // The other member is kcat in a process of its own (librdkafka 2.0.2's balanced consumer), so it can die
        // without a word: no LeaveGroup, no commit, its heartbeats just stop.
        var info = new ProcessStartInfo("kcat") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-b", Silo.KafkaBootstrap, "-G", group, topic, "-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=500",
            "-X", "auto.offset.reset=earliest", "-X", "client.id=member-kcat", "-q", "-u", "-f", "%p %o\n" })
        {
            info.ArgumentList.Add(arg);
        }
        using var kcat = Process.Start(info)!;
        try
        {
            kcat.OutputDataReceived += (_, line) =>
            {
                var parts = line.Data?.Split(' ');
                if (parts is [var partition, var offset])
                {
                    seen.TryAdd((int.Parse(partition, CultureInfo.InvariantCulture), long.Parse(offset, CultureInfo.InvariantCulture)), "member-kcat");
                }
            };
            kcat.BeginOutputReadLine();
            kcat.BeginErrorReadLine();
            string State() => $"seen {seen.Count}; member-b assigned {string.Join(',', survivor.Assigned)}; errors {string.Join(" | ", survivor.Errors)}";

            await WaitForAsync(() => survivor.Assigned.Length == 2 && seen.Count == 400, TimeSpan.FromSeconds(60), State);
            Assert.Equal(2, (await admin.DescribeConsumerGroupAsync(group)).Members.Count);
            var killed = Enumerable.Range(0, partitions).Except(survivor.Assigned).ToArray();

            kcat.Kill(); // SIGKILL
            await kcat.WaitForExitAsync();

            // After the dead member's session timeout (6 s) the group rebalances and the survivor owns everything.
            await WaitForAsync(() => survivor.Assigned.Length == partitions, TimeSpan.FromSeconds(60), State);
            var described = await admin.DescribeConsumerGroupAsync(group);
            Assert.Equal(["member-b"], described.Members.Select(m => m.ClientId));
            Produce(topic, 400, 200);
            await WaitForAsync(() => seen.Count == 600, TimeSpan.FromSeconds(60), State);
            Assert.Contains(seen, s => killed.Contains(s.Key.Item1) && s.Value == "member-b");
            Assert.Empty(survivor.Errors);
        }
        finally
        {
            if (!kcat.HasExited)
            {
                kcat.Kill();
            }
        }
    }

    [Fact]
    public async Task Kafka_consumers_with_group_protocol_consumer_are_assigned_by_the_broker_and_hand_over_when_one_closes()
    {
        const string topic = "kafka-group-848", group = "kafka-app-848";
        const int partitions = 4;
        await using var client = await Client.OrlogClient.ConnectAsync(new Client.ClientConfig { BootstrapServers = Silo.Bootstrap });
        await using var admin = await new Client.AdminClientBuilder(new Client.ClientConfig()).SetClient(client).BuildAsync();
        await admin.CreateTopicAsync(topic, partitions);
        Produce(topic, 0, 400);

        var seen = new ConcurrentDictionary<(int, long), string>();
        var a = new Member("member-a", Silo.KafkaBootstrap, group, topic, seen, serverSide: true);
        using var b = new Member("member-b", Silo.KafkaBootstrap, group, topic, seen, serverSide: true);
        Member[] members = [a, b];
        string State() => $"seen {seen.Count}; assigned {string.Join(" / ", members.Select(m => $"{m.Name}: {string.Join(',', m.Assigned)}"))}; errors {string.Join(" | ", members.SelectMany(m => m.Errors))}";

        await WaitForAsync(() => members.All(m => m.Assigned.Length == 2) && members.SelectMany(m => m.Assigned).Distinct().Count() == partitions, TimeSpan.FromSeconds(60), State);
        await WaitForAsync(() => seen.Count == 400, TimeSpan.FromSeconds(60), State);
        var described = await admin.DescribeConsumerGroupAsync(group);
        Assert.Equal(Client.ConsumerGroupType.Consumer, described.GroupType);
        Assert.Equal(["member-a", "member-b"], described.Members.Select(m => m.ClientId).Order());

        a.Dispose();
        await WaitForAsync(() => b.Assigned.Length == partitions, TimeSpan.FromSeconds(60), State);
        Produce(topic, 400, 100);
        await WaitForAsync(() => seen.Count == 500, TimeSpan.FromSeconds(60), State);
        b.Dispose();
        Assert.Empty(members.SelectMany(m => m.Errors));

        var ends = (await admin.ListOffsetsAsync(Enumerable.Range(0, partitions).Select(p => new Client.Admin.TopicPartitionOffsetSpec { TopicPartition = new Client.TopicPartition(topic, p), OffsetSpec = Client.Admin.OffsetSpec.Latest() })))
            .ResultInfos.Select(r => r.TopicPartitionOffsetError);
        var committed = await admin.ListConsumerGroupOffsetsAsync(group);
        Assert.Equal(ends.Select(e => (e.Partition.Value, e.Offset.Value)).Order(), committed.Select(o => (o.Partition.Value, o.Offset.Value)).Order());
    }

    [Fact]
    public async Task An_SDK_consumer_of_the_classic_protocol_and_a_Kafka_consumer_share_one_group()
    {
        const string topic = "kafka-group-mixed", group = "kafka-app-mixed";
        const int partitions = 4;
        await using var client = await Client.OrlogClient.ConnectAsync(new Client.ClientConfig { BootstrapServers = Silo.Bootstrap });
        await using var admin = await new Client.AdminClientBuilder(new Client.ClientConfig()).SetClient(client).BuildAsync();
        await admin.CreateTopicAsync(topic, partitions);
        Produce(topic, 0, 400);

        // Both offer range first (librdkafka's default list is range,roundrobin), so whichever leads assigns alike.
        var seen = new ConcurrentDictionary<(int, long), string>();
        using var kafka = new Member("member-kafka", Silo.KafkaBootstrap, group, topic, seen);
        var sdk = new SdkMember("member-sdk", Silo.Bootstrap, group, topic, seen);
        string State() => $"seen {seen.Count}; kafka {string.Join(',', kafka.Assigned)}; sdk {string.Join(',', sdk.Assigned)}; "
            + $"errors {string.Join(" | ", kafka.Errors.Concat(sdk.Errors))}";

        await WaitForAsync(() => kafka.Assigned.Length == 2 && sdk.Assigned.Length == 2 && !kafka.Assigned.Intersect(sdk.Assigned).Any(), TimeSpan.FromSeconds(60), State);
        await WaitForAsync(() => seen.Count == 400, TimeSpan.FromSeconds(60), State);
        Assert.Contains(seen.Values, v => v == "member-sdk");
        Assert.Contains(seen.Values, v => v == "member-kafka");
        var described = await admin.DescribeConsumerGroupAsync(group);
        Assert.Equal(Client.ConsumerGroupType.Classic, described.GroupType);
        Assert.Equal(["member-kafka", "member-sdk"], described.Members.Select(m => m.ClientId).Order());
        Assert.Equal("range", described.PartitionAssignor);

        // The SDK member closes (committing what it read): the Kafka consumer takes its partitions and goes on from there.
        var handedOver = sdk.Assigned;
        sdk.Dispose();
        await WaitForAsync(() => kafka.Assigned.Length == partitions, TimeSpan.FromSeconds(60), State);
        Produce(topic, 400, 200);
        await WaitForAsync(() => seen.Count == 600, TimeSpan.FromSeconds(60), State);
        Assert.Contains(seen, s => handedOver.Contains(s.Key.Item1) && s.Key.Item2 > 0 && s.Value == "member-kafka");
        Assert.Empty(kafka.Errors.Concat(sdk.Errors));
    }
}
