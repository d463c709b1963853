using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using Orlog.Kafka.Protocol;
using Orlog.Kafka.Protocol.Messages;
using Orlog.Kafka.Server;
using Orlog.TestSupport;

namespace Orlog.Kafka.Tests.Server;

/// <summary>
/// Throws requests at the listener for a bounded time: every served API in every advertised version with every
/// field filled with odd values (the seeds), then the same frames with bytes flipped, cut and extended. After each
/// one the connection must either answer a following ApiVersions or close: never hang, never take the listener
/// down, never fail inside a handler (a "request failed" line is a handler bug: odd values get Kafka codes,
/// malformed frames a "malformed" close). Seeds are printed on failure.
/// </summary>
public sealed class ListenerFuzzTests : ListenerHarness
{
    private static readonly TimeSpan _budget = TimeSpan.FromSeconds(6);
    /// <summary>A request frame (size prefix included) of every served API and advertised version, every field filled.</summary>
    private static List<(string Name, byte[] Frame)> Seeds(Random random)
    {
        var seeds = new List<(string, byte[])>();
        foreach (var key in KafkaRequestHandler.Served.Order())
        {
            var api = ApiCatalog.Find(key)!;
            var type = Messages.Find(api.Name + "Request");
            for (var version = api.AdvertisedLowest; version <= api.AdvertisedHighest; version++)
            {
                var message = (IKafkaWritable)Activator.CreateInstance(type)!;
                MessageFiller.Fill(message, version, random, nulls: random.Next(4) == 0);
                var body = new ArrayBufferWriter<byte>();
                var writer = new KafkaWriter(body);
                new RequestHeader(key, version, random.Next(), "fuzz").Write(writer, ApiCatalog.RequestHeaderVersion(key, version));
                message.Write(writer, version);
                seeds.Add(($"{api.Name} v{version}", KafkaTestClient.Frame(body.WrittenSpan)));
            }
        }
        return seeds;
    }

    [Fact]
    public async Task Random_and_mutated_requests_get_an_answer_or_a_closed_connection_and_the_listener_serves_on()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var seeds = Seeds(random);
        var watch = Stopwatch.StartNew();
        var sent = 0;
        var closed = 0;
        KafkaTestClient? client = null;
        try
        {
            while (watch.Elapsed < _budget || sent < seeds.Count)
            {
                var (name, frame) = seeds[sent < seeds.Count ? sent : random.Next(seeds.Count)];
                var fuzzed = sent < seeds.Count ? frame : FrameMutator.Mutate(frame, random);
                client ??= await KafkaTestClient.ConnectAsync(EndPoint);
                sent++;
                try
                {
                    await client.SendRawAsync(fuzzed);
                    await client.SendAsync(ApiVersionsRequest.ApiKey, 0, -77, new ApiVersionsRequest());
                }
                catch (IOException)
                {
                    // The broker closed the connection on the fuzzed frame while the rest was being sent.
                    closed++;
                    await client.DisposeAsync();
                    client = null;
                    continue;
                }
                // Read until the ApiVersions answer (the fuzzed request's own answer, if any, comes first) or a close.
                while (true)
                {
                    byte[]? answer;
                    try
                    {
                        answer = await client.ReceiveAsync(TimeSpan.FromSeconds(10));
                    }
                    catch (OperationCanceledException)
                    {
                        Assert.Fail($"seed {seed}: after {name} (frame {sent}) the connection neither answered nor closed within 10 s");
                        throw;
                    }
                    catch (IOException)
                    {
                        answer = null; // reset by the broker: closed
                    }
                    if (answer is null)
                    {
                        closed++;
                        await client.DisposeAsync();
                        client = null;
                        break;
                    }
                    if (BinaryPrimitives.ReadInt32BigEndian(answer) == -77)
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }
        }

        var failures = Log.Lines.Where(l => l.Contains("the request failed", StringComparison.Ordinal)).ToList();
        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} handler failures in {sent} requests, first: {failures.FirstOrDefault()}");
        Assert.True(closed < sent, $"seed {seed}: every one of {sent} requests closed its connection");

        // A well-behaved client is served as before.
        await using var good = await KafkaTestClient.ConnectAsync(EndPoint);
        await good.SendAsync(MetadataRequest.ApiKey, 12, 5, new MetadataRequest { Topics = null });
        Assert.NotNull(await good.ReceiveAsync());
    }
}
