using System.Diagnostics;
using System.Globalization;
using System.Text;
using Orlog.Log;
using Orlog.Records;

namespace Orlog.Benchmarks.Log;

/// <summary>
/// The storage engine's load program: appends N GiB of 100-byte records packed in 16 KiB batches to a
/// partition log (flush policy by interval, timed until a final fsync returns), beside
/// <c>dd if=/dev/zero bs=1M conv=fdatasync</c> into the same directory in the same run, then scans the
/// log back from the page cache checking every CRC. Runs alternate dd and Orlog so both see the same
/// machine; medians over the runs go to docs/benchmarks.md (a full run) or to a temp directory (--quick).
/// </summary>
internal static class LogAppendLoad
{
    private const int RecordBytes = 100;
    private const int BatchBytes = 16 * 1024;
    private const long MiB = 1024 * 1024;

    public static int Run(string[] args)
    {
        var quick = args.Contains("--quick");
        var runs = LoadArguments.Int(args, "--runs", quick ? 3 : 5);
        var mib = LoadArguments.Int(args, "--mib", quick ? 64 : 1024);
        var root = MarkdownSection.RepositoryRoot();
        var directory = Path.GetFullPath(LoadArguments.String(args, "--dir") ?? Path.Combine(root, "bench", "out", "log-append"));
        Directory.CreateDirectory(directory);
        var total = mib * MiB;

        Console.Error.WriteLine($"log-append: {mib} MiB of {RecordBytes}-byte records in {BatchBytes / 1024} KiB batches, {runs} runs, in {directory}");
        var packWatch = Stopwatch.StartNew();
        var batches = BatchPacker.Pack(total, RecordBytes, BatchBytes);
        packWatch.Stop();
        long records = 0, bytes = 0;
        foreach (var batch in batches)
        {
            records += RecordBatchHeader.Read(batch).RecordCount;
            bytes += batch.Length;
        }
        var packRate = records / packWatch.Elapsed.TotalSeconds;
        Console.Error.WriteLine($"packed {records:N0} records in {batches.Count:N0} batches ({bytes / (double)MiB:F0} MiB) in {packWatch.Elapsed.TotalSeconds:F2} s: {packRate / 1e6:F2} M records/s");

        // Warm up first: the JIT's tiers and PGO need a few passes before the code runs at its real speed.
        Breakdown(batches, bytes, records);
        RunOrlog(directory, batches.GetRange(0, Math.Min(batches.Count, 8192)), bytes);
        var (validateRate, crcRate) = Breakdown(batches, bytes, records);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"validation alone {validateRate / 1e6:F1} M records/s; CRC alone {crcRate / 1e9:F2} GB/s"));

        var dd = new List<double>();
        var raw = new List<double>();
        var append = new List<double>();
        var ratio = new List<double>();
        var ratioToRaw = new List<double>();
        var readScan = new List<double>();
        var verifyScan = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            // Each measurement starts with nothing dirty in the page cache, and the order alternates so
            // neither side always runs right after the other's deletes.
            double ddRate, rawRate, appendRate, readRate, verifyRate;
            if (run % 2 == 1)
            {
                Sync();
                ddRate = RunDd(directory, mib);
                Sync();
                rawRate = RunRawWrites(directory, batches, bytes);
                Sync();
                (appendRate, readRate, verifyRate) = RunOrlog(directory, batches, bytes);
            }
            else
            {
                Sync();
                (appendRate, readRate, verifyRate) = RunOrlog(directory, batches, bytes);
                Sync();
                rawRate = RunRawWrites(directory, batches, bytes);
                Sync();
                ddRate = RunDd(directory, mib);
            }
            raw.Add(rawRate / MiB);
            dd.Add(ddRate / MiB);
            append.Add(appendRate / MiB);
            ratio.Add(appendRate / ddRate);
            ratioToRaw.Add(appendRate / rawRate);
            readScan.Add(readRate / 1e9);
            verifyScan.Add(verifyRate / 1e9);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run}: dd {ddRate / MiB:F0} MiB/s, raw pwrite {rawRate / MiB:F0} MiB/s, append {appendRate / MiB:F0} MiB/s ({appendRate / ddRate:P0} of dd), ReadInto+CRC {readRate / 1e9:F2} GB/s, verify {verifyRate / 1e9:F2} GB/s"));
        }

        var section = Render(mib, runs, records, packRate, validateRate, dd, raw, append, ratio, ratioToRaw, readScan, verifyScan, quick);
        Console.Out.WriteLine(section);
        var output = LoadArguments.String(args, "--out")
            ?? (quick ? Path.Combine(Path.GetTempPath(), "orlog-benchmarks.md") : Path.Combine(root, "docs", "benchmarks.md"));
        MarkdownSection.Write(output, "log-append", section);
        Console.Error.WriteLine($"wrote {output}");
        Directory.Delete(directory, recursive: true);
        return 0;
    }

    // The CPU parts of an append, alone: the full validation walk, and the CRC it contains.
    private static (double ValidateRecordsPerSecond, double CrcBytesPerSecond) Breakdown(List<byte[]> batches, long bytes, long records)
    {
        var watch = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            RecordBatchValidator.Validate(batch, int.MaxValue);
        }
        var validate = records / watch.Elapsed.TotalSeconds;
        watch.Restart();
        uint crc = 0;
        foreach (var batch in batches)
        {
            crc ^= RecordBatchHeader.ComputeCrc(batch);
        }
        GC.KeepAlive(crc);
        return (validate, bytes / watch.Elapsed.TotalSeconds);
    }

    private static void Sync()
    {
        using var sync = Process.Start("sync")!;
        sync.WaitForExit();
    }

    private static double RunDd(string directory, int mib)
    {
        var target = Path.Combine(directory, "dd.bin");
        var watch = Stopwatch.StartNew();
        using (var dd = Process.Start(new ProcessStartInfo("dd", $"if=/dev/zero of={target} bs=1M count={mib} conv=fdatasync")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!)
        {
            dd.StandardError.ReadToEnd();
            dd.WaitForExit();
            if (dd.ExitCode != 0)
            {
                throw new InvalidOperationException($"dd failed with exit code {dd.ExitCode}");
            }
        }
        watch.Stop();
        File.Delete(target);
        return mib * MiB / watch.Elapsed.TotalSeconds;
    }

    // The floor under the log: the same batches written back to back with positional writes, then one fsync.
    private static double RunRawWrites(string directory, List<byte[]> batches, long bytes)
    {
        var path = Path.Combine(directory, "raw.bin");
        var watch = Stopwatch.StartNew();
        using (var file = new Orlog.Log.Storage.PhysicalLogFile(path, create: true))
        {
            long position = 0;
            foreach (var batch in batches)
            {
                file.Write(position, batch);
                position += batch.Length;
            }
            file.Flush();
        }
        watch.Stop();
        File.Delete(path);
        return bytes / watch.Elapsed.TotalSeconds;
    }

    private static (double Append, double Read, double Verify) RunOrlog(string directory, List<byte[]> batches, long bytes)
    {
        var partition = Path.Combine(directory, "bench-0");
        if (Directory.Exists(partition))
        {
            Directory.Delete(partition, recursive: true);
        }
        var config = new LogConfig { FlushMs = 1000 };
        using var log = PartitionLog.Open(partition, config);
        var watch = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            log.AppendAsLeader(batch, leaderEpoch: 0);
        }
        log.Flush();
        watch.Stop();
        var appendRate = bytes / watch.Elapsed.TotalSeconds;

        // Read every batch back through the fetch path into a reused buffer and check each CRC, as a
        // consumer would (Read() that allocates a result array per fetch is the grain's path; here the
        // engine's own speed is measured, without the garbage collector's share).
        var buffer = new byte[1024 * 1024];
        watch.Restart();
        long offset = 0, read = 0;
        while (offset < log.LogEndOffset)
        {
            var length = log.ReadInto(offset, buffer, out var required);
            if (length == 0 && required > 0)
            {
                buffer = new byte[required];
                continue;
            }
            var records = buffer.AsSpan(0, length);
            var at = 0;
            while (at < records.Length)
            {
                var header = RecordBatchHeader.Read(records[at..]);
                if (RecordBatchHeader.ComputeCrc(records.Slice(at, header.TotalSize)) != header.Crc)
                {
                    throw new InvalidOperationException($"CRC mismatch at offset {header.BaseOffset}");
                }
                offset = header.NextOffset;
                at += header.TotalSize;
            }
            read += length;
        }
        watch.Stop();
        var readRate = read / watch.Elapsed.TotalSeconds;

        watch.Restart();
        var (_, verified) = log.Verify();
        watch.Stop();
        var verifyRate = verified / watch.Elapsed.TotalSeconds;
        log.Delete();
        return (appendRate, readRate, verifyRate);
    }

    private static string Render(int mib, int runs, long records, double packRate, double validateRate, List<double> dd, List<double> raw, List<double> append, List<double> ratio, List<double> ratioToRaw,
        List<double> readScan, List<double> verifyScan, bool quick)
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine(invariant, $"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}{(quick ? " (quick run: not a result)" : "")}.");
        text.AppendLine(invariant, $"{mib} MiB ({records:N0} records of {RecordBytes} B in {BatchBytes / 1024} KiB batches), flush.ms=1000, median (min, max) of {runs} runs.");
        text.AppendLine();
        text.AppendLine("| measure | median (min, max) |");
        text.AppendLine("|---|---|");
        text.AppendLine(invariant, $"| dd bs=1M conv=fdatasync, MiB/s | {Stats.Summary(dd)} |");
        text.AppendLine(invariant, $"| the same batches, plain pwrite + final fsync (no log), MiB/s | {Stats.Summary(raw)} |");
        text.AppendLine(invariant, $"| Orlog append until final fsync, MiB/s | {Stats.Summary(append)} |");
        text.AppendLine(invariant, $"| **Orlog append / dd** | **{Stats.Summary(ratio, "P0")}** |");
        text.AppendLine(invariant, $"| Orlog append / plain pwrite | {Stats.Summary(ratioToRaw, "P0")} |");
        text.AppendLine(invariant, $"| read back through ReadInto() + CRC, GB/s | {Stats.Summary(readScan, "F2")} |");
        text.AppendLine(invariant, $"| Verify() full scan (length, magic, CRC, offsets), GB/s | {Stats.Summary(verifyScan, "F2")} |");
        text.AppendLine(invariant, $"| validation alone (one core), M records/s | {validateRate / 1e6:F1} |");
        text.AppendLine(invariant, $"| packing (builder, not timed above), M records/s | {packRate / 1e6:F2} |");
        return text.ToString();
    }

}
