using System.CommandLine;
using Orlog.Cli;
using Orlog.Cli.Commands;

var root = new RootCommand("orlog: the command line of Orlog, an event streaming platform on Orleans")
{
    GlobalOptions.Bootstrap,
    GlobalOptions.Settings,
    GlobalOptions.SettingsFiles,
    TopicsCommand.Create(),
    ProduceCommand.Create(),
    ConsumeCommand.Create(),
    GroupsCommand.Create(),
    BrokersCommand.Create(),
    PartitionsCommand.Create(),
};

// An option with an optional value takes one only when attached (--key-separator=S): given alone it never swallows
// the next argument (`orlog produce --key-separator orders` writes to orders with tab-separated keys).
// No response files: an argument starting with @ is a time (--offset @1733392800000), as kcat users write it.
var parse = root.Parse([.. args.Select(a => a is ProduceCommand.KeySeparatorOption or "-k" ? $"{ProduceCommand.KeySeparatorOption}=\\t" : a)],
    new ParserConfiguration { ResponseFileTokenReplacer = null });
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
