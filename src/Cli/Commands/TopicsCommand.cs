using System.CommandLine;
using System.Globalization;
using Orlog.Cli.Output;
using Orlog.Client;

namespace Orlog.Cli.Commands;

/// <summary>`orlog topics create|list|describe|delete|alter|add-partitions`.</summary>
internal static class TopicsCommand
{
    private static readonly Argument<string> _name = new("name") { Description = "The topic's name" };

    private static readonly Option<string[]> _configs = new("--config", "-c")
    {
        Description = "A topic config by its Kafka name, key=value (repeatable)",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Command Create()
    {
        var topics = new Command("topics", "Create, list, describe, alter and delete topics");
        topics.Subcommands.Add(CreateCommand());
        topics.Subcommands.Add(ListCommand());
        topics.Subcommands.Add(DescribeCommand());
        topics.Subcommands.Add(DeleteCommand());
        topics.Subcommands.Add(AlterCommand());
        topics.Subcommands.Add(AddPartitionsCommand());
        return topics;
    }

    private static Command CreateCommand()
    {
        var partitions = new Option<int>("--partitions", "-p") { Description = "Partition count (default: the broker's num.partitions)", DefaultValueFactory = _ => -1 };
        var replication = new Option<short>("--replication-factor", "-r") { Description = "Replicas per partition (default: the broker's default.replication.factor)", DefaultValueFactory = _ => -1 };
        var command = new Command("create", "Create a topic") { _name, partitions, replication, _configs };
        command.SetAction(async (parse, cancel) =>
        {
            var configs = GlobalOptions.Pairs(parse.GetValue(_configs), "--config");
            await using var admin = await Admin(parse, cancel);
            var topic = await admin.CreateTopicAsync(parse.GetValue(_name)!, parse.GetValue(partitions), parse.GetValue(replication), configs, cancel);
            Console.Error.WriteLine($"Created topic {topic.Name} with {topic.Partitions.Count} partition(s) (id {topic.TopicId}).");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ListCommand()
    {
        var command = new Command("list", "List the topics");
        command.SetAction(async (parse, cancel) =>
        {
            await using var admin = await Admin(parse, cancel);
            var names = await admin.ListTopicsAsync(cancel);
            var mode = parse.GetValue(GlobalOptions.Output);
            if (mode == OutputMode.Json)
            {
                Listing.Write(mode, [], [], names);
            }
            else
            {
                // A bare list of names, one per line, whatever the terminal: easy to pipe.
                foreach (var name in names)
                {
                    Console.Out.WriteLine(name);
                }
            }
            return ExitCodes.Success;
        });
        return command.WithOutput();
    }

    private static Command DescribeCommand()
    {
        var name = new Argument<string?>("name") { Description = "The topic's name", Arity = ArgumentArity.ZeroOrOne };
        var underReplicated = new Option<bool>("--under-replicated")
        {
            Description = "List the under-replicated partitions (fewer in-sync replicas than replicas) of every topic; takes no name",
        };
        var command = new Command("describe", "Describe a topic: partitions, leaders, replicas, ISR, offsets and configs") { name, underReplicated };
        command.SetAction(async (parse, cancel) =>
        {
            var topicName = parse.GetValue(name);
            var mode = parse.GetValue(GlobalOptions.Output);
            if (parse.GetValue(underReplicated))
            {
                if (topicName is not null)
                {
                    throw new ArgumentException("topics describe --under-replicated lists every topic's under-replicated partitions: give no topic name.");
                }
                await using var all = await Admin(parse, cancel);
                var topics = await all.DescribeAllTopicsAsync(cancel);
                var partitions = topics.SelectMany(t => t.Partitions.Where(p => p.IsUnderReplicated).Select(p => (Topic: t.Name, Partition: p))).ToList();
                Listing.Write(mode, _partitionHeaders, [.. partitions.Select(p => Row(p.Topic, p.Partition))],
                    partitions.Select(p => PartitionJson(p.Partition, p.Topic)).ToList());
                return ExitCodes.Success;
            }
            if (topicName is null)
            {
                throw new ArgumentException("topics describe needs a topic name (or --under-replicated for every topic's under-replicated partitions).");
            }
            await using var admin = await Admin(parse, cancel);
            var topic = await admin.DescribeTopicAsync(topicName, cancel);
            var json = new Dictionary<string, object?>
            {
                ["name"] = topic.Name,
                ["topicId"] = topic.TopicId,
                ["configs"] = topic.Configs,
                ["partitions"] = topic.Partitions.Select(p => PartitionJson(p, null)).ToList(),
            };
            Listing.Write(mode, _partitionHeaders, [.. topic.Partitions.Select(p => Row(topic.Name, p))], json);
            if (mode != OutputMode.Json)
            {
                var configs = topic.Configs.Count == 0 ? "(broker defaults)" : string.Join(", ", topic.Configs.Select(c => $"{c.Key}={c.Value}"));
                Console.Error.WriteLine($"Topic {topic.Name} (id {topic.TopicId}) configs: {configs}");
            }
            return ExitCodes.Success;
        });
        return command.WithOutput();
    }

    private static readonly string[] _partitionHeaders =
        ["TOPIC", "PARTITION", "LEADER", "REPLICAS", "ISR", "LEADER-EPOCH", "LOG-START-OFFSET", "HIGH-WATERMARK"];

    private static string?[] Row(string topic, TopicPartitionInfo p) =>
    [
        topic,
        Number(p.Partition),
        p.Leader is null ? null : Number(p.Leader.Id),
        string.Join(",", Ids(p.Replicas)),
        string.Join(",", Ids(p.ISR)),
        Number(p.LeaderEpoch),
        Number(p.LogStartOffset),
        Number(p.HighWatermark),
    ];

    // The JSON of one partition as CONVENTIONS.md names its fields; under-replicated listings add the topic.
    private static Dictionary<string, object?> PartitionJson(TopicPartitionInfo p, string? topic)
    {
        var json = new Dictionary<string, object?>();
        if (topic is not null)
        {
            json["topic"] = topic;
        }
        json["partition"] = p.Partition;
        json["leader"] = p.Leader?.Id ?? -1;
        json["leaderEpoch"] = p.LeaderEpoch;
        json["replicas"] = Ids(p.Replicas);
        json["isr"] = Ids(p.ISR);
        json["offlineReplicas"] = Ids(p.OfflineReplicas);
        json["logStartOffset"] = p.LogStartOffset;
        json["highWatermark"] = p.HighWatermark;
        return json;
    }

    private static int[] Ids(List<Node> brokers) => [.. brokers.Select(b => b.Id)];

    private static Command DeleteCommand()
    {
        var command = new Command("delete", "Delete a topic and its data") { _name };
        command.SetAction(async (parse, cancel) =>
        {
            await using var admin = await Admin(parse, cancel);
            await admin.DeleteTopicAsync(parse.GetValue(_name)!, cancel);
            Console.Error.WriteLine($"Deleted topic {parse.GetValue(_name)}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command AlterCommand()
    {
        var delete = new Option<string[]>("--delete-config") { Description = "Remove a topic config override (repeatable)", AllowMultipleArgumentsPerToken = false };
        var command = new Command("alter", "Set or remove topic config overrides") { _name, _configs, delete };
        command.SetAction(async (parse, cancel) =>
        {
            var changes = GlobalOptions.Pairs(parse.GetValue(_configs), "--config").ToDictionary(p => p.Key, p => (string?)p.Value);
            foreach (var name in parse.GetValue(delete) ?? [])
            {
                changes[name] = null;
            }
            if (changes.Count == 0)
            {
                throw new ArgumentException("topics alter: give at least one --config key=value or --delete-config key.");
            }
            await using var admin = await Admin(parse, cancel);
            var topic = await admin.AlterTopicConfigsAsync(parse.GetValue(_name)!, changes, cancel);
            Console.Error.WriteLine($"Altered topic {topic.Name}: {string.Join(", ", topic.Configs.Select(c => $"{c.Key}={c.Value}"))}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command AddPartitionsCommand()
    {
        var partitions = new Option<int>("--partitions", "-p") { Description = "The new total partition count", Required = true };
        var command = new Command("add-partitions", "Grow a topic to more partitions (never fewer)") { _name, partitions };
        command.SetAction(async (parse, cancel) =>
        {
            await using var admin = await Admin(parse, cancel);
            var topic = await admin.CreatePartitionsAsync(parse.GetValue(_name)!, parse.GetValue(partitions), cancel);
            Console.Error.WriteLine($"Topic {topic.Name} now has {topic.Partitions.Count} partitions.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<IAdminClient> Admin(ParseResult parse, CancellationToken cancel) =>
        await new AdminClientBuilder(GlobalOptions.Config(parse, new ClientConfig())).BuildAsync(cancel);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
