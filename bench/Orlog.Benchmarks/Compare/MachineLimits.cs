using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Orlog.Benchmarks.Compare;

/// <summary>
/// The machine's own ceilings, measured in the same run as the peers so ratios compare like with like: sequential
/// write bandwidth of the disk under the peers' directory (dd with fdatasync), fsyncs per second of 16 KiB appends
/// (what flush.messages=1 or an fsync-per-commit database pays), and loopback TCP bandwidth (what every client to
/// server hop here rides on). Every file written is removed.
/// </summary>
internal static partial class MachineLimits
{
    private const int AppendBytes = 16 * 1024;
    private const int SocketBufferBytes = 1024 * 1024;

    public static async Task<IReadOnlyList<MachineLimit>> MeasureAsync(string directory, bool quick, CancellationToken cancellationToken)
    {
        var probeDirectory = Path.Combine(directory, $"limits-{Guid.NewGuid():N}");
        Directory.CreateDirectory(probeDirectory);
        try
        {
            var limits = new List<MachineLimit>
            {
                await DiskWriteAsync(probeDirectory, quick ? 64 : 1024, cancellationToken).ConfigureAwait(false),
                await Task.Run(() => Fsyncs(probeDirectory, quick ? TimeSpan.FromSeconds(0.5) : TimeSpan.FromSeconds(2), cancellationToken), cancellationToken).ConfigureAwait(false),
                await LoopbackAsync(quick ? TimeSpan.FromSeconds(0.5) : TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false),
            };
            return limits;
        }
        finally
        {
            Directory.Delete(probeDirectory, recursive: true);
        }
    }

    /// <summary>dd of <paramref name="mebibytes"/> MiB of zeros with conv=fdatasync (the time includes getting it onto the disk), three times, the median.</summary>
    private static async Task<MachineLimit> DiskWriteAsync(string directory, int mebibytes, CancellationToken cancellationToken)
    {
        var target = Path.Combine(directory, "dd.bin");
        var rates = new List<double>();
        for (var round = 0; round < 3; round++)
        {
            var info = new ProcessStartInfo("dd")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add("if=/dev/zero");
            info.ArgumentList.Add($"of={target}");
            info.ArgumentList.Add("bs=1M");
            info.ArgumentList.Add($"count={mebibytes}");
            info.ArgumentList.Add("conv=fdatasync");
            // dd's summary line is parsed: keep it in the C locale.
            info.Environment["LC_ALL"] = "C";
            var watch = Stopwatch.StartNew();
            using var process = Process.Start(info) ?? throw new InvalidOperationException("dd did not start.");
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            watch.Stop();
            var summary = await error.ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"dd exited with {process.ExitCode}: {summary}");
            }
            // "1073741824 bytes (1.1 GB, 1.0 GiB) copied, 1.23456 s, 870 MB/s": bytes and seconds, not dd's rounded rate.
            var match = DdSummary().Match(summary);
            var seconds = match.Success ? double.Parse(match.Groups["seconds"].Value, CultureInfo.InvariantCulture) : watch.Elapsed.TotalSeconds;
            var bytes = match.Success ? long.Parse(match.Groups["bytes"].Value, CultureInfo.InvariantCulture) : mebibytes * 1024L * 1024;
            rates.Add(bytes / 1024.0 / 1024 / seconds);
            File.Delete(target);
        }
        return new MachineLimit(
            "disk sequential write",
            Stats.Median(rates),
            "MiB/s",
            $"dd if=/dev/zero bs=1M count={mebibytes} conv=fdatasync into the peers' directory, median of 3 ({string.Join(", ", rates.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))})");
    }

    /// <summary>Appends of 16 KiB, each followed by an fsync, for <paramref name="duration"/>.</summary>
    private static MachineLimit Fsyncs(string directory, TimeSpan duration, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, "fsync.bin");
        var block = new byte[AppendBytes];
        new Random(7).NextBytes(block);
        long appends = 0;
        Stopwatch watch;
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            var handle = file.SafeFileHandle;
            long offset = 0;
            watch = Stopwatch.StartNew();
            while (watch.Elapsed < duration)
            {
                cancellationToken.ThrowIfCancellationRequested();
                RandomAccess.Write(handle, block, offset);
                offset += block.Length;
                // FileStream.Flush(true) is fsync on Linux: the data and the grown file size on disk before the next append.
                file.Flush(flushToDisk: true);
                appends++;
            }
            watch.Stop();
        }
        File.Delete(path);
        return new MachineLimit(
            "fsyncs of 16 KiB appends",
            appends / watch.Elapsed.TotalSeconds,
            "fsyncs/s",
            $"one thread: write 16 KiB at the end of a file, fsync, repeat, for {duration.TotalSeconds:0.#} s ({appends:N0} appends)");
    }

    /// <summary>One connection over 127.0.0.1: one side writes 1 MiB buffers for <paramref name="duration"/>, the other reads until the end.</summary>
    private static async Task<MachineLimit> LoopbackAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accept = listener.AcceptSocketAsync(cancellationToken);
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint, cancellationToken).ConfigureAwait(false);
        using var server = await accept.ConfigureAwait(false);

        var watch = Stopwatch.StartNew();
        var reader = Task.Run(
            async () =>
            {
                var buffer = new byte[SocketBufferBytes];
                long received = 0;
                int read;
                while ((read = await server.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    received += read;
                }
                return received;
            },
            cancellationToken);
        var writer = Task.Run(
            async () =>
            {
                var buffer = new byte[SocketBufferBytes];
                new Random(7).NextBytes(buffer);
                long sent = 0;
                while (watch.Elapsed < duration)
                {
                    var remaining = buffer.AsMemory();
                    while (remaining.Length > 0)
                    {
                        var written = await client.SendAsync(remaining, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                        remaining = remaining[written..];
                    }
                    sent += buffer.Length;
                }
                client.Shutdown(SocketShutdown.Send);
                return sent;
            },
            cancellationToken);
        var sentBytes = await writer.ConfigureAwait(false);
        var receivedBytes = await reader.ConfigureAwait(false);
        watch.Stop();
        if (receivedBytes != sentBytes)
        {
            throw new InvalidOperationException($"Loopback probe sent {sentBytes} bytes and received {receivedBytes}.");
        }
        return new MachineLimit(
            "loopback TCP",
            receivedBytes / watch.Elapsed.TotalSeconds / 1e6,
            "MB/s",
            $"one connection over 127.0.0.1: 1 MiB sends for {duration.TotalSeconds:0.#} s, one reader, in this process ({receivedBytes / 1e6:N0} MB)");
    }

    [GeneratedRegex(@"(?<bytes>\d+) bytes .*copied, (?<seconds>[0-9.]+) s")]
    private static partial Regex DdSummary();
}
