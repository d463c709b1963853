using System.CommandLine;
using System.Globalization;
using Orlog.Cli.Output;
using Orlog.Client;

namespace Orlog.Cli.Commands;

/// <summary>`orlog brokers list`: every registered broker, its address, rack, status, leaderships and the controller.</summary>
internal static class BrokersCommand
{
    public static Command Create()
    {
        var brokers = new Command("brokers", "List the cluster's brokers");
        brokers.Subcommands.Add(ListCommand());
        return brokers;
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
        return command;
    }
}
