using System.CommandLine;
using System.Globalization;
using Orlog.Cli.Output;
using Orlog.Client;

namespace Orlog.Cli.Commands;

/// <summary>
/// `orlog brokers list`: every registered broker, its address, rack, status, leaderships and the controller;
/// `orlog brokers drain ID`: move every replica off a broker; `orlog brokers unregister ID`: forget a retired one.
/// </summary>
internal static class BrokersCommand
{
    private static readonly Argument<int> _id = new("id") { Description = "The broker's id" };

    public static Command Create()
    {
        var brokers = new Command("brokers", "List the cluster's brokers, drain one, unregister a retired one");
        brokers.Subcommands.Add(ListCommand());
        brokers.Subcommands.Add(DrainCommand());
        brokers.Subcommands.Add(UnregisterCommand());
        return brokers;
    }

    private static Command DrainCommand()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Only print the reassignments it would start" };
        var wait = new Option<bool>("--wait") { Description = "Return only once every replica has moved off the broker, with progress on stderr" };
        var command = new Command("drain", "Move every replica off a broker (e.g. before retiring it) to the least-loaded other brokers; the topics stay writable")
        {
            _id, dryRun, wait,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var id = parse.GetValue(_id);
            await using var admin = await GroupsCommand.Admin(parse, cancel);
            var moves = await admin.DrainBrokerAsync(id, parse.GetValue(dryRun), cancel);
            ReassignmentOutput.WriteMoves(parse.GetValue(GlobalOptions.Output), moves);
            var started = moves.Count(m => !m.AlreadyRunning);
            if (parse.GetValue(dryRun))
            {
                Console.Error.WriteLine($"Dry run: draining broker {id} would start {started} reassignment(s); nothing was changed.");
                return ExitCodes.Success;
            }
            Console.Error.WriteLine(moves.Count == 0
                ? $"Broker {id} holds no replica: nothing to move."
                : $"Draining broker {id}: {started} reassignment(s) started, {moves.Count - started} already moving off it. Progress: orlog partitions reassign --status");
            if (parse.GetValue(wait) && moves.Count > 0)
            {
                await ReassignmentOutput.WaitAsync(admin, [.. moves.Select(m => (m.Topic, m.Partition))], cancel);
                var left = (await admin.DescribeAllTopicsAsync(cancel))
                    .SelectMany(t => t.Partitions.Where(p => p.Replicas.Any(r => r.Id == id)).Select(p => $"{t.Name}-{p.Partition}"))
                    .ToList();
                Console.Error.WriteLine(left.Count == 0
                    ? $"Broker {id} holds no replica any more."
                    : $"Broker {id} still holds replicas of {string.Join(", ", left.Take(10))} (created or moved there meanwhile?): drain it again.");
            }
            return ExitCodes.Success;
        });
        return command.WithOutput();
    }

    private static Command UnregisterCommand()
    {
        var command = new Command("unregister", "Forget a stopped broker that holds no replica (drain it first): it leaves 'brokers list'") { _id };
        command.SetAction(async (parse, cancel) =>
        {
            var id = parse.GetValue(_id);
            await using var admin = await GroupsCommand.Admin(parse, cancel);
            await admin.UnregisterBrokerAsync(id, cancel);
            Console.Error.WriteLine($"Unregistered broker {id}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ListCommand()
    {
        var command = new Command("list", "List the brokers: id, gateway address, rack, status (alive, shutting-down, dead), partitions led, controller");
        command.SetAction(async (parse, cancel) =>
        {
            await using var admin = await new AdminClientBuilder(GlobalOptions.Config(parse, new ClientConfig())).BuildAsync(cancel);
            var brokers = await admin.ListBrokersAsync(cancel);
            var rows = brokers.Select(b => new[]
            {
                b.Id.ToString(CultureInfo.InvariantCulture),
                b.Address,
                b.Rack,
                b.Status,
                b.Leaders.ToString(CultureInfo.InvariantCulture),
                b.Controller ? "yes" : "no",
            }).ToList<string?[]>();
            var json = brokers.Select(b => new Dictionary<string, object?>
            {
                ["id"] = b.Id,
                ["address"] = b.Address,
                ["rack"] = b.Rack,
                ["status"] = b.Status,
                ["leaders"] = b.Leaders,
                ["controller"] = b.Controller,
            }).ToList();
            Listing.Write(parse.GetValue(GlobalOptions.Output), ["ID", "ADDRESS", "RACK", "STATUS", "LEADERS", "CONTROLLER"], rows, json);
            return ExitCodes.Success;
        });
        return command.WithOutput();
    }
}
