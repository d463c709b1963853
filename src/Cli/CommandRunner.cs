using System.CommandLine;
using System.Runtime.InteropServices;
using Orlog.Client;

namespace Orlog.Cli;

/// <summary>
/// Runs a parsed command and turns what went wrong into the documented exit codes, on stderr. Ctrl-C (SIGINT) and
/// SIGTERM end every command the same way: the first cancels it, so it finishes cleanly (a produce reports what was
/// acknowledged, a group member commits and leaves); a second one ends the process at once.
/// </summary>
internal static class CommandRunner
{
    public static async Task<int> InvokeAsync(ParseResult parse)
    {
        using var cancel = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = !cancel.IsCancellationRequested;
            cancel.Cancel();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
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
