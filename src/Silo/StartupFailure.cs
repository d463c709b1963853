using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Orlog.Grains.Cluster;
using Orlog.Grains.Hosting;
using Orlog.Silo.ClusterDb;

namespace Orlog.Silo;

/// <summary>Turns an exception that stopped the silo into a short message on stderr and an exit code.</summary>
public static class StartupFailure
{
    /// <summary>The silo failed to start or to run (a data directory in use, a port taken, ...).</summary>
    public const int Failed = 1;

    /// <summary>A setting is invalid, or the command line is.</summary>
    public const int BadSetting = 2;

    /// <summary>Writes the causes found in <paramref name="exception"/> to <paramref name="error"/>; returns the exit code.</summary>
    public static int Report(Exception exception, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(error);
        var messages = new List<string>();
        var code = 0;
        var portReported = false;
        foreach (var cause in Causes(exception))
        {
            switch (cause)
            {
                case OptionsValidationException validation:
                    messages.AddRange(validation.Failures.Select(failure => "bad setting: " + failure));
                    code = Math.Max(code, BadSetting);
                    break;
                case OrleansConfigurationException configuration:
                    messages.Add("bad setting: " + configuration.Message);
                    code = Math.Max(code, BadSetting);
                    break;
                case InvalidOperationException invalid when invalid.Message.Contains("configuration value", StringComparison.Ordinal):
                    messages.Add("bad setting: " + invalid.Message);
                    code = Math.Max(code, BadSetting);
                    break;
                // The failures whose message already says what happened and what to do.
                case BrokerDataDirectoryException or ClusterDatabaseException or BrokerRegistrationException:
                    messages.Add(cause.Message);
                    code = Math.Max(code, Failed);
                    break;
                case PortInUseException port:
                    messages.Add(port.Message);
                    code = Math.Max(code, Failed);
                    portReported = true;
                    break;
                case SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } socket when !portReported:
                    // Orleans' own bind: another process took a port between the reservation's release and Orleans' bind.
                    messages.Add($"a port is in use by another process (taken while the silo started): {socket.Message}");
                    code = Math.Max(code, Failed);
                    break;
            }
        }
        if (messages.Count == 0)
        {
            messages.Add($"the silo failed: {exception.GetType().Name}: {exception.Message}");
            code = Failed;
        }
        foreach (var message in messages.Distinct(StringComparer.Ordinal))
        {
            error.WriteLine("orlog-silo: " + message);
        }
        return code;
    }

    private static IEnumerable<Exception> Causes(Exception exception)
    {
        var pending = new Stack<Exception>();
        pending.Push(exception);
        while (pending.TryPop(out var current))
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}
