using System.CommandLine;
using System.Globalization;
using Orlog.Cli.Output;
using Orlog.Client;
using Orlog.Client.Admin;

namespace Orlog.Cli.Commands;

/// <summary>`orlog groups list|describe|delete|reset-offsets`, shaped after Kafka's kafka-consumer-groups.</summary>
internal static class GroupsCommand
{
    private static readonly Argument<string> _group = new("group") { Description = "The consumer group's id" };

    private static readonly string[] _states = ["PreparingRebalance", "CompletingRebalance", "Assigning", "Reconciling"];

    public static Command Create()
    {
        var groups = new Command("groups", "List, describe and delete consumer groups, and reset their offsets");
        groups.Subcommands.Add(ListCommand());
        groups.Subcommands.Add(DescribeCommand());
        groups.Subcommands.Add(DeleteCommand());
        groups.Subcommands.Add(ResetOffsetsCommand.Create(_group));
        return groups;
    }

    private static Command ListCommand()
    {
        var command = new Command("list", "List the consumer groups with their type and state");
        command.SetAction(async (parse, cancel) =>
        {
            await using var admin = await Admin(parse, cancel);
            var groups = (await admin.ListConsumerGroupsAsync(cancellationToken: cancel)).Valid;
            var rows = groups.Select(g => new[] { g.GroupId, TypeName(g.Type), g.State.ToString() }).ToList<string?[]>();
            var json = groups.Select(g => new { groupId = g.GroupId, state = g.State.ToString(), protocolType = g.ProtocolType, type = TypeName(g.Type) }).ToList();
            Listing.Write(parse.GetValue(GlobalOptions.Output), ["GROUP", "TYPE", "STATE"], rows, json);
            return ExitCodes.Success;
        });
        return command.WithOutput();
    }

    private static Command DescribeCommand()
    {
        var members = new Option<bool>("--members") { Description = "Show the members and their assignments instead of the partitions' offsets and lag" };
        var command = new Command("describe", "Describe a consumer group: committed offsets, log end offsets, lag and owners") { _group, members };
        command.SetAction(async (parse, cancel) =>
        {
            await using var admin = await Admin(parse, cancel);
            var group = await admin.DescribeConsumerGroupAsync(parse.GetValue(_group)!, cancel);
            var mode = parse.GetValue(GlobalOptions.Output);
            if (mode != OutputMode.Json)
            {
                WriteState(group);
            }
            if (parse.GetValue(members))
            {
                var rows = group.Members.Select(m => new[]
                {
                    group.GroupId, m.ConsumerId, m.GroupInstanceId, m.Host, m.ClientId, Number(m.Assignment.TopicPartitions.Count), Assignment(m.Assignment.TopicPartitions),
                }).ToList<string?[]>();
                Listing.Write(mode, ["GROUP", "CONSUMER-ID", "GROUP-INSTANCE-ID", "HOST", "CLIENT-ID", "#PARTITIONS", "ASSIGNMENT"], rows, Json(group));
            }
            else
            {
                var rows = group.Partitions.Select(p => new[]
                {
                    group.GroupId,
                    p.TopicPartition.Topic,
                    Number(p.TopicPartition.Partition),
                    p.CurrentOffset >= 0 ? Number(p.CurrentOffset) : null,
                    p.LogEndOffset >= 0 ? Number(p.LogEndOffset) : null,
                    p.Lag is { } lag ? Number(lag) : null,
                    p.ConsumerId,
                    p.Host,
                    p.ClientId,
                }).ToList<string?[]>();
                Listing.Write(mode, ["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID"], rows, Json(group));
            }
            return ExitCodes.Success;
        });
        return command.WithOutput();
    }

    private static Command DeleteCommand()
    {
        var command = new Command("delete", "Delete an empty consumer group and its committed offsets") { _group };
        command.SetAction(async (parse, cancel) =>
        {
            var group = parse.GetValue(_group)!;
            await using var admin = await Admin(parse, cancel);
            await admin.DeleteConsumerGroupAsync(group, cancel);
            Console.Error.WriteLine($"Deletion of requested consumer groups ('{group}') was successful.");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Kafka's notes before a describe: an empty group, or one in the middle of a rebalance.</summary>
    private static void WriteState(ConsumerGroupDescription group)
    {
        if (group.Members.Count == 0)
        {
            Console.Error.WriteLine($"Consumer group '{group.GroupId}' has no active members.");
        }
        else if (_states.Contains(group.State.ToString()))
        {
            Console.Error.WriteLine($"Warning: Consumer group '{group.GroupId}' is rebalancing ({group.State}).");
        }
    }

    /// <summary>Kafka's group type names, as kafka-consumer-groups prints them.</summary>
    private static string TypeName(ConsumerGroupType type) => type.ToString().ToLowerInvariant();

    /// <summary>A described group in JSON as CONVENTIONS.md names its fields (the coordinator as a broker id).</summary>
    private static object Json(ConsumerGroupDescription group) => new
    {
        groupId = group.GroupId,
        state = group.State.ToString(),
        type = TypeName(group.GroupType),
        partitionAssignor = group.PartitionAssignor,
        epoch = group.Epoch,
        members = group.Members.Select(m => new
        {
            memberId = m.ConsumerId,
            groupInstanceId = m.GroupInstanceId,
            clientId = m.ClientId,
            host = m.Host,
            assignment = m.Assignment.TopicPartitions,
        }),
        partitions = group.Partitions,
        coordinator = group.Coordinator?.Id ?? -1,
    };

    /// <summary>A member's partitions by topic: t(0,1),u(2).</summary>
    private static string Assignment(IReadOnlyList<TopicPartition> partitions) =>
        string.Join(",", partitions.GroupBy(p => p.Topic).Select(t => $"{t.Key}({string.Join(",", t.Select(p => Number(p.Partition)))})"));

    internal static async Task<IAdminClient> Admin(ParseResult parse, CancellationToken cancel) =>
        await new AdminClientBuilder(GlobalOptions.Config(parse, new ClientConfig())).BuildAsync(cancel);

    internal static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
