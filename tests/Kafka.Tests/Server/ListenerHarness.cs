using System.Net;
using System.Net.Sockets;
using Orlog.Kafka.Protocol;
using Orlog.Kafka.Server;

namespace Orlog.Kafka.Tests.Server;

/// <summary>
/// A Kafka listener on a free loopback port over a <see cref="FakeKafkaBackend"/>, with its log kept, for the
/// listener's tests: each test class derives from it and asks with <see cref="AskAsync"/>.
/// </summary>
public abstract class ListenerHarness : IAsyncLifetime
{
    private KafkaListener? _listener;

    internal FakeKafkaBackend Backend { get; } = new();

    internal CollectingLogger<KafkaListener> Log { get; } = new();

    internal IPEndPoint EndPoint => _listener!.EndPoint;

    public Task InitializeAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener = new KafkaListener(socket, new KafkaRequestHandler(Backend), 1024 * 1024, Log);
        _listener.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }
    }

    internal delegate T ReadMessage<T>(ref KafkaReader reader, short version);

    /// <summary>Sends one request on a new connection and reads its answer, which must use every byte of its frame.</summary>
    internal async Task<T> AskAsync<T>(short apiKey, short version, IKafkaWritable request, ReadMessage<T> read, string clientId = "orlog-tests")
    {
        await using var client = await KafkaTestClient.ConnectAsync(EndPoint);
        await client.SendAsync(apiKey, version, 77, request, clientId);
        var frame = await client.ReceiveAsync();
        Assert.True(frame is not null, "no answer; the listener said: " + string.Join("\n", Log.Lines));
        var (correlation, answer) = Read(frame, ApiCatalog.ResponseHeaderVersion(apiKey, version), version, read);
        Assert.Equal(77, correlation);
        return answer;
    }

    /// <summary>Reads a response frame: the header of the given version and the message, which must use every byte.</summary>
    internal static (int CorrelationId, T Message) Read<T>(byte[]? frame, short headerVersion, short version, ReadMessage<T> read)
    {
        Assert.NotNull(frame);
        var reader = new KafkaReader(frame);
        var header = ResponseHeader.Read(ref reader, headerVersion);
        var message = read(ref reader, version);
        Assert.Equal(0, reader.Remaining);
        return (header.CorrelationId, message);
    }
}
