using System.CommandLine;
using Orlog.Cli;
using Orlog.Cli.Commands;

var root = new RootCommand("orlog: the command line of Orlog, an event streaming platform on Orleans")
{
    GlobalOptions.Bootstrap,
    GlobalOptions.Settings,
    GlobalOptions.SettingsFiles,
    GlobalOptions.Output,
    TopicsCommand.Create(),
    ProduceCommand.Create(),
    ConsumeCommand.Create(),
    GroupsCommand.Create(),
    BrokersCommand.Create(),
    PartitionsCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"orlog: {error.Message}");
    }
    Console.Error.WriteLine("Try 'orlog --help'.");
    return ExitCodes.Usage;
}
return await CommandRunner.InvokeAsync(parse);
