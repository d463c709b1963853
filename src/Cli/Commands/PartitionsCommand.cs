using System.CommandLine;
using Orlog.Cli.Output;
using Orlog.Client;

namespace Orlog.Cli.Commands;

/// <summary>
/// `orlog partitions reassign TOPIC --partition P (--replicas 1,2,3 | --cancel)`, `orlog partitions reassign --status
/// [TOPIC [--partition P]]` and `orlog partitions rebalance [--topic T]`: moving replicas between brokers (KIP-455).
/// </summary>
internal static class PartitionsCommand
{
    public static Command Create()
    {
        var partitions = new Command("partitions", "Move partitions' replicas between brokers: reassign, show progress, cancel, rebalance");
        partitions.Subcommands.Add(ReassignCommand());
        partitions.Subcommands.Add(RebalanceCommand());
        return partitions;
    }

    private static Command ReassignCommand()
    {
        var topic = new Argument<string?>("topic") { Description = "The topic", Arity = ArgumentArity.ZeroOrOne };
        var partition = new Option<int?>("--partition", "-p") { Description = "The partition" };
        var replicas = new Option<string?>("--replicas") { Description = "The target replicas, broker ids comma-separated, the preferred leader first: 1,2,3" };
        var cancel = new Option<bool>("--cancel") { Description = "Cancel the partition's running reassignment: back to its original replicas" };
        var status = new Option<bool>("--status") { Description = "Show the running reassignments (of TOPIC, or of every topic) and how far each new replica has copied" };
        var replace = new Option<bool>("--replace", "--additional") { Description = "Replace a reassignment of the partition that runs already (refused without it)" };
        var wait = new Option<bool>("--wait") { Description = "Return only once the reassignment is complete, with progress on stderr" };
        var command = new Command("reassign", "Move a partition's replicas to other brokers while it stays writable; --status shows progress, --cancel undoes")
        {
            topic, partition, replicas, cancel, status, replace, wait,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var (name, number, target) = (parse.GetValue(topic), parse.GetValue(partition), parse.GetValue(replicas));
            var modes = (target is null ? 0 : 1) + (parse.GetValue(cancel) ? 1 : 0) + (parse.GetValue(status) ? 1 : 0);
            if (modes != 1)
            {
                throw new ArgumentException("partitions reassign: give exactly one of --replicas, --cancel, --status.");
            }
            if (parse.GetValue(status))
            {
                if (number is not null && name is null)
                {
                    throw new ArgumentException("partitions reassign --status --partition needs the topic too.");
                }
                await using var admin = await GroupsCommand.Admin(parse, cancellation);
                await StatusAsync(admin, parse.GetValue(GlobalOptions.Output), name, number, cancellation);
                return ExitCodes.Success;
            }
            if (name is null || number is not { } p)
            {
                throw new ArgumentException("partitions reassign: --replicas and --cancel need a topic and --partition.");
            }
            var partitionId = new TopicPartition(name, p);
            var brokers = target is null ? null : ParseBrokers(target);
            await using (var admin = await GroupsCommand.Admin(parse, cancellation))
            {
                if (brokers is null)
                {
                    await admin.AlterPartitionReassignmentsAsync(new Dictionary<TopicPartition, IReadOnlyList<int>?> { [partitionId] = null }, cancellationToken: cancellation);
                    Console.Error.WriteLine($"Cancelled the reassignment of {name}-{p}: its replicas are back to the original ones.");
                    return ExitCodes.Success;
                }
                await admin.AlterPartitionReassignmentsAsync(new Dictionary<TopicPartition, IReadOnlyList<int>?> { [partitionId] = brokers },
                    parse.GetValue(replace), cancellation);
                var running = (await admin.ListPartitionReassignmentsAsync(name, cancellation)).Any(r => r.Partition == p);
                Console.Error.WriteLine(running
                    ? $"Reassignment of {name}-{p} to [{string.Join(',', brokers)}] started."
                    : $"{name}-{p} has the replicas [{string.Join(',', brokers)}] (nothing had to be copied).");
                if (running && parse.GetValue(wait))
                {
                    await ReassignmentOutput.WaitAsync(admin, [(name, p)], cancellation);
                }
            }
            return ExitCodes.Success;
        });
        return command.WithOutput();
    }

    private static Command RebalanceCommand()
    {
        var topic = new Option<string?>("--topic", "-t") { Description = "Only this topic's partitions (default: every topic)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only print the reassignments it would start" };
        var wait = new Option<bool>("--wait") { Description = "Return only once every reassignment started is complete, with progress on stderr" };
        var command = new Command("rebalance", "Spread replicas and preferred leaders evenly over the live brokers (e.g. onto a broker just added), moving as few as it can")
        {
            topic, dryRun, wait,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            await using var admin = await GroupsCommand.Admin(parse, cancellation);
            var moves = await admin.RebalanceReplicasAsync(parse.GetValue(topic), parse.GetValue(dryRun), cancellation);
            ReassignmentOutput.WriteMoves(parse.GetValue(GlobalOptions.Output), moves);
            if (moves.Count == 0)
            {
                Console.Error.WriteLine("The replicas are spread evenly already: nothing to move.");
            }
            else if (parse.GetValue(dryRun))
            {
                Console.Error.WriteLine($"Dry run: {moves.Count} reassignment(s) would start; nothing was changed.");
            }
            else
            {
                Console.Error.WriteLine($"Started {moves.Count} reassignment(s). Progress: orlog partitions reassign --status");
                if (parse.GetValue(wait))
                {
                    await ReassignmentOutput.WaitAsync(admin, [.. moves.Select(m => (m.Topic, m.Partition))], cancellation);
                }
            }
            return ExitCodes.Success;
        });
        return command.WithOutput();
    }

    private static async Task StatusAsync(IAdminClient admin, OutputMode mode, string? topic, int? partition, CancellationToken cancellation)
    {
        var running = (await admin.ListPartitionReassignmentsAsync(topic, cancellation)).Where(r => partition is null || r.Partition == partition).ToList();
        if (partition is { } p && running.Count == 0)
        {
            throw new KafkaException(ErrorCode.NoReassignmentInProgress, $"No reassignment of {topic}-{p} is in progress.");
        }
        ReassignmentOutput.WriteStatus(mode, running);
        if (running.Count == 0 && mode != OutputMode.Json)
        {
            Console.Error.WriteLine(topic is null ? "No partition reassignment is in progress." : $"No reassignment of topic {topic} is in progress.");
        }
    }

    private static List<int> ParseBrokers(string text)
    {
        var brokers = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var broker))
            {
                throw new ArgumentException($"--replicas {text}: expected broker ids separated by commas, e.g. 1,2,3.");
            }
            brokers.Add(broker);
        }
        return brokers;
    }
}
