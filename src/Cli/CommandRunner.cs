using System.CommandLine;
using Orlog.Client;

namespace Orlog.Cli;

/// <summary>Runs a parsed command and turns what went wrong into the documented exit codes, on stderr.</summary>
internal static class CommandRunner
{
    public static async Task<int> InvokeAsync(ParseResult parse)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cancel.Token);
        }
        catch (ClusterUnreachableException error)
        {
            Console.Error.WriteLine($"orlog: {error.Message}");
            return ExitCodes.Unreachable;
        }
        catch (KafkaException error)
        {
            Console.Error.WriteLine($"orlog: {error.Message}");
            return ExitCodes.Refused;
        }
        catch (Exception error) when (error is ArgumentException or FormatException)
        {
            Console.Error.WriteLine($"orlog: {error.Message}");
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }
    }
}
