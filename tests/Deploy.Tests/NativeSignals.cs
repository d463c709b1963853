using System.Runtime.InteropServices;

namespace Orlog.Deploy.Tests;

/// <summary>POSIX signals to a process: Process.Kill sends SIGKILL, and systemd stops a unit with SIGTERM.</summary>
internal static partial class NativeSignals
{
    public const int SigTerm = 15;

    public static void Send(int processId, int signal)
    {
        if (Kill(processId, signal) != 0)
        {
            throw new InvalidOperationException($"kill({processId}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int sig);
}
