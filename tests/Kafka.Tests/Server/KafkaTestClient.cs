using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Orlog.Kafka.Protocol;

namespace Orlog.Kafka.Tests.Server;

/// <summary>A bare Kafka client for the listener tests: writes size-prefixed requests with the codec and reads the answers' frames.</summary>
internal sealed class KafkaTestClient : IAsyncDisposable
{
    private readonly TcpClient _tcp = new() { NoDelay = true };
    private NetworkStream? _stream;

    public static async Task<KafkaTestClient> ConnectAsync(IPEndPoint endPoint)
    {
        var client = new KafkaTestClient();
        await client._tcp.ConnectAsync(endPoint);
        client._stream = client._tcp.GetStream();
        return client;
    }

    private NetworkStream Stream => _stream ?? throw new InvalidOperationException("not connected");

    /// <summary>Sends a request of <paramref name="version"/> with the header version its API calls for.</summary>
    public async Task SendAsync(short apiKey, short version, int correlationId, IKafkaWritable request, string? clientId = "orlog-tests")
    {
        var body = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(body);
        new RequestHeader(apiKey, version, correlationId, clientId).Write(writer, ApiCatalog.RequestHeaderVersion(apiKey, version));
        request.Write(writer, version);
        await SendRawAsync(Frame(body.WrittenSpan));
    }

    public async Task SendRawAsync(byte[] bytes)
    {
        await Stream.WriteAsync(bytes);
        await Stream.FlushAsync();
    }

    public static byte[] Frame(ReadOnlySpan<byte> body)
    {
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, body.Length);
        body.CopyTo(frame.AsSpan(4));
        return frame;
    }

    /// <summary>The next answer's bytes after its size prefix; null when the broker closed the connection.</summary>
    public async Task<byte[]?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var prefix = new byte[4];
        if (!await ReadExactlyAsync(prefix, deadline.Token))
        {
            return null;
        }
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(prefix)];
        return await ReadExactlyAsync(frame, deadline.Token) ? frame : throw new IOException("the answer was cut short");
    }

    /// <summary>True when the broker closed the connection (a read returns nothing) within the timeout.</summary>
    public async Task<bool> IsClosedAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            var one = new byte[1];
            return await Stream.ReadAsync(one, deadline.Token) == 0;
        }
        catch (IOException)
        {
            return true; // reset by the broker
        }
    }

    private async Task<bool> ReadExactlyAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await Stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                return read == 0 ? false : throw new IOException("the connection closed inside an answer");
            }
            read += n;
        }
        return true;
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
