using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Orlog.Benchmarks.Streaming;
using Orlog.Kafka.Protocol;
using Orlog.Records;
using KafkaFetchRequest = Orlog.Kafka.Protocol.Messages.FetchRequest;
using KafkaFetchResponse = Orlog.Kafka.Protocol.Messages.FetchResponse;

namespace Orlog.Benchmarks.Kafka;

/// <summary>
/// Fetch through the Kafka listener with and without zero copy: two silos, one sending records from the segment
/// files by sendfile, one (Orlog:KafkaZeroCopy=false) reading them into memory first, each holding the same log.
/// A bare fetch loop (the protocol's own codec, no consumer library) reads the whole log several times as a
/// catching-up consumer does, a given size a fetch (max.partition.fetch.bytes), and the silo's
/// CPU time per GB read is taken from its process. Rounds alternate which silo goes first.
/// </summary>
internal static class ZeroCopyFetch
{
    private const int RecordBytes = 1024;

    public sealed record Row(bool ZeroCopy, double BytesPerSecond, double SiloCpuSecondsPerGb, double SiloUserSecondsPerGb, double ClientCores);

    public static async Task<List<Row>> RunAsync(string siloAssembly, int rounds, long logBytes, int passes, int fetchBytes, Action<string> log)
    {
        using var withZeroCopy = await SiloRunner.StartAsync(siloAssembly, [], TimeSpan.FromSeconds(90));
        using var copying = await SiloRunner.StartAsync(siloAssembly, ["--Orlog:KafkaZeroCopy=false"], TimeSpan.FromSeconds(90));
        var records = logBytes / RecordBytes;
        foreach (var silo in new[] { withZeroCopy, copying })
        {
            await using var client = await Client.OrlogClient.ConnectAsync(new Client.ClientConfig { BootstrapServers = silo.Bootstrap, ClientId = "orlog-bench" });
            await using var admin = await new Client.AdminClientBuilder(new Client.ClientConfig()).SetClient(client).BuildAsync();
            await admin.CreateTopicAsync("fetch", 1);
            await ClientRuns.ProduceAsync(client, new Client.ProducerConfig { Acks = Client.Acks.Leader, LingerMs = 5, BatchSize = 262_144, ClientId = "orlog-bench" },
                "fetch", records, RecordBytes, new CpuMeter(silo));
        }
        log($"two silos (zero copy: pid {withZeroCopy.ProcessId}; copying: pid {copying.ProcessId}) hold {records:N0} records of {RecordBytes} B; {passes} passes a measurement");

        var rows = new List<Row>();
        for (var round = 0; round <= rounds; round++)
        {
            foreach (var zeroCopy in round % 2 == 0 ? new[] { true, false } : [false, true])
            {
                var silo = zeroCopy ? withZeroCopy : copying;
                var siloCpu = silo.CpuTime;
                var siloUser = Process.GetProcessById(silo.ProcessId).UserProcessorTime;
                var clientCpu = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                var bytes = await ReadLogAsync(KafkaLoad.KafkaEndpoint(silo), records, round == 0 ? 1 : passes, fetchBytes);
                watch.Stop();
                var gigabytes = bytes / 1e9;
                var row = new Row(zeroCopy, bytes / watch.Elapsed.TotalSeconds, (silo.CpuTime - siloCpu).TotalSeconds / gigabytes,
                    (Process.GetProcessById(silo.ProcessId).UserProcessorTime - siloUser).TotalSeconds / gigabytes,
                    (Process.GetCurrentProcess().TotalProcessorTime - clientCpu) / watch.Elapsed);
                log($"round {round}{(round == 0 ? " (warm-up)" : "")}: fetch {(zeroCopy ? "with" : "without")} zero copy: {row.BytesPerSecond / 1e6:N0} MB/s, " +
                    $"silo {row.SiloCpuSecondsPerGb:F2} CPU s/GB, of which user {row.SiloUserSecondsPerGb:F2}");
                if (round > 0)
                {
                    rows.Add(row);
                }
            }
        }
        return rows;
    }

    // Reads partition 0 of "fetch" from offset 0 to the end, passes times, on one connection; returns the record bytes read.
    private static async Task<long> ReadLogAsync(string endpoint, long logEnd, int passes, int fetchBytes)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPEndPoint.Parse(endpoint));
        var request = new ArrayBufferWriter<byte>();
        var frame = new byte[fetchBytes * 2];
        long bytes = 0;
        var correlation = 0;
        for (var pass = 0; pass < passes; pass++)
        {
            long offset = 0;
            while (offset < logEnd)
            {
                WriteFetch(request, ++correlation, offset, fetchBytes);
                await socket.SendAsync(request.WrittenMemory);
                await ReceiveAsync(socket, frame.AsMemory(0, 4));
                var length = BinaryPrimitives.ReadInt32BigEndian(frame);
                if (length > frame.Length)
                {
                    frame = new byte[length];
                }
                await ReceiveAsync(socket, frame.AsMemory(0, length));
                var records = Records(frame.AsMemory(0, length));
                if (records.IsEmpty)
                {
                    throw new InvalidOperationException($"An empty fetch at offset {offset} of {logEnd}.");
                }
                bytes += records.Length;
                offset = NextOffset(records.Span);
            }
        }
        return bytes;
    }

    private static void WriteFetch(ArrayBufferWriter<byte> output, int correlation, long offset, int fetchBytes)
    {
        const short Version = 11;
        output.ResetWrittenCount();
        output.GetSpan(4);
        output.Advance(4);
        var writer = new KafkaWriter(output);
        new RequestHeader(KafkaFetchRequest.ApiKey, Version, correlation, "orlog-bench-fetch").Write(writer, ApiCatalog.RequestHeaderVersion(KafkaFetchRequest.ApiKey, Version));
        var fetch = new KafkaFetchRequest { ReplicaId = -1, MaxWaitMs = 0, MinBytes = 1, MaxBytes = 52_428_800, SessionEpoch = -1 };
        var topic = new KafkaFetchRequest.FetchTopic { Topic = "fetch" };
        topic.Partitions.Add(new KafkaFetchRequest.FetchPartition { Partition = 0, FetchOffset = offset, PartitionMaxBytes = fetchBytes, CurrentLeaderEpoch = -1, LogStartOffset = -1 });
        fetch.Topics.Add(topic);
        fetch.Write(writer, Version);
        BinaryPrimitives.WriteInt32BigEndian(System.Runtime.InteropServices.MemoryMarshal.AsMemory(output.WrittenMemory).Span, output.WrittenCount - 4);
    }

    private static async Task ReceiveAsync(Socket socket, Memory<byte> buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var got = await socket.ReceiveAsync(buffer[read..]);
            if (got == 0)
            {
                throw new IOException("The silo closed the connection.");
            }
            read += got;
        }
    }

    private static ReadOnlyMemory<byte> Records(ReadOnlyMemory<byte> frame)
    {
        const short Version = 11;
        var reader = new KafkaReader(frame);
        ResponseHeader.Read(ref reader, ApiCatalog.ResponseHeaderVersion(KafkaFetchRequest.ApiKey, Version));
        var response = KafkaFetchResponse.Read(ref reader, Version);
        var partition = response.Responses.Single().Partitions.Single();
        if (partition.ErrorCode != 0)
        {
            throw new InvalidOperationException($"Fetch failed with error {partition.ErrorCode}.");
        }
        return partition.Records ?? ReadOnlyMemory<byte>.Empty;
    }

    // The offset after the last whole batch.
    private static long NextOffset(ReadOnlySpan<byte> batches)
    {
        long next = -1;
        while (batches.Length >= RecordBatchHeader.Size)
        {
            var header = RecordBatchHeader.Read(batches);
            if (header.TotalSize > batches.Length)
            {
                break;
            }
            next = header.LastOffset + 1;
            batches = batches[header.TotalSize..];
        }
        return next;
    }
}
