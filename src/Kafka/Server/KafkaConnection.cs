using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Orlog.Kafka.Protocol;

namespace Orlog.Kafka.Server;

/// <summary>
/// One Kafka client connection: size-prefixed request frames in, answers out in the same order, one request at
/// a time (the next frame is read only once the answer is written, so a client that sends faster than it reads
/// is held back by TCP, not buffered). A frame that cannot be read, a size out of bounds or an unsupported API
/// closes the connection with one log line; nothing a client sends takes the listener down.
/// </summary>
internal sealed partial class KafkaConnection(Socket socket, KafkaRequestHandler handler, int maxRequestBytes, ILogger logger)
{
    // A request header is at least api key, api version and correlation id.
    private const int MinimumFrame = 8;

    private readonly string _remote = socket.RemoteEndPoint?.ToString() ?? "?";
    private readonly string _host = (socket.RemoteEndPoint as System.Net.IPEndPoint)?.Address.ToString() ?? "";

    public async Task RunAsync(CancellationToken stop)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        var writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        var output = new ArrayBufferWriter<byte>(4096);
        var splices = new List<FileSplice>();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var (frame, length) = await ReadFrameAsync(reader, stop);
                if (frame is null)
                {
                    return; // the client closed the connection
                }
                KafkaResponse? response;
                try
                {
                    response = await handler.HandleAsync(frame.AsMemory(0, length), _host, stop);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(frame);
                }
                if (response is { } answer)
                {
                    output.ResetWrittenCount();
                    splices.Clear();
                    try
                    {
                        answer.Write(new KafkaWriter(output, splices));
                        if (splices.Count == 0)
                        {
                            BinaryPrimitives.WriteInt32BigEndian(writer.GetSpan(4), output.WrittenCount);
                            writer.Advance(4);
                            await writer.WriteAsync(output.WrittenMemory, stop);
                        }
                        else
                        {
                            // The pipe is flushed (WriteAsync flushes): the socket gets the answer next, in order.
                            await SendWithFilesAsync(output.WrittenMemory, splices);
                        }
                    }
                    finally
                    {
                        foreach (var splice in splices)
                        {
                            ((IDisposable)splice.Region).Dispose();
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (KafkaProtocolException error)
        {
            LogMalformed(logger, _remote, error.Message);
        }
        catch (UnsupportedRequestException error)
        {
            LogUnsupported(logger, _remote, error.ApiKey, error.ApiVersion, error.ClientId);
        }
        catch (Exception error) when (error is IOException or SocketException)
        {
            LogConnectionLost(logger, _remote, error.Message);
        }
        catch (Exception error)
        {
            // A bug in a handler: this connection closes, the listener and every other connection go on.
            LogFailed(logger, error, _remote);
        }
        finally
        {
            await reader.CompleteAsync();
            await writer.CompleteAsync();
        }
    }

    /// <summary>
    /// Sends an answer whose record bytes stay in segment files: the size prefix and the written parts from
    /// memory, the records from their files to the socket by the kernel (sendfile), with no copy through managed
    /// buffers (Kafka's zero-copy fetch).
    /// </summary>
    private async Task SendWithFilesAsync(ReadOnlyMemory<byte> written, List<FileSplice> splices)
    {
        long total = written.Length;
        foreach (var splice in splices)
        {
            total += splice.Length;
        }
        var prefix = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(prefix, checked((int)total));
        var elements = new List<SendPacketsElement>(2 + (splices.Count * 2)) { new(prefix) };
        var at = 0;
        foreach (var splice in splices)
        {
            var position = (int)splice.OutputPosition;
            if (position > at)
            {
                elements.Add(new SendPacketsElement(written[at..position]));
            }
            if (splice.Length > 0)
            {
                elements.Add(new SendPacketsElement(splice.Region.File, splice.Region.Position + splice.Start, splice.Length));
            }
            at = position;
        }
        if (at < written.Length)
        {
            elements.Add(new SendPacketsElement(written[at..]));
        }
        using var send = new SocketAsyncEventArgs { SendPacketsElements = [.. elements] };
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        send.Completed += (_, _) => sent.TrySetResult();
        if (socket.SendPacketsAsync(send))
        {
            await sent.Task;
        }
        if (send.SocketError != SocketError.Success)
        {
            throw new SocketException((int)send.SocketError);
        }
    }

    /// <summary>The next frame in a pooled array (the caller returns it), or null at the end of the stream.</summary>
    private async ValueTask<(byte[]? Frame, int Length)> ReadFrameAsync(PipeReader reader, CancellationToken stop)
    {
        while (true)
        {
            var result = await reader.ReadAsync(stop);
            var buffer = result.Buffer;
            if (buffer.Length >= 4)
            {
                var size = ReadSize(buffer);
                if (size < MinimumFrame || size > maxRequestBytes)
                {
                    throw new KafkaProtocolException(size > maxRequestBytes
                        ? $"a request of {size} bytes, over socket.request.max.bytes ({maxRequestBytes})"
                        : $"a request size of {size} bytes, below the {MinimumFrame} of a request header");
                }
                if (buffer.Length >= 4L + size)
                {
                    var frame = ArrayPool<byte>.Shared.Rent(size);
                    buffer.Slice(4, size).CopyTo(frame);
                    reader.AdvanceTo(buffer.GetPosition(4L + size));
                    return (frame, size);
                }
            }
            if (result.IsCompleted)
            {
                if (buffer.Length > 0)
                {
                    throw new KafkaProtocolException($"the connection closed inside a request ({buffer.Length} bytes of it)");
                }
                reader.AdvanceTo(buffer.End);
                return (null, 0);
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static int ReadSize(ReadOnlySequence<byte> buffer)
    {
        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        return BinaryPrimitives.ReadInt32BigEndian(prefix);
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Warning, Message = "Kafka connection from {Remote} closed: malformed request: {Detail}")]
    private static partial void LogMalformed(ILogger logger, string remote, string detail);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Kafka connection from {Remote} closed: API key {ApiKey} version {ApiVersion} (client '{ClientId}') is not served")]
    private static partial void LogUnsupported(ILogger logger, string remote, short apiKey, short apiVersion, string? clientId);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Error, Message = "Kafka connection from {Remote} closed: the request failed")]
    private static partial void LogFailed(ILogger logger, Exception error, string remote);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Debug, Message = "Kafka connection from {Remote} lost: {Detail}")]
    private static partial void LogConnectionLost(ILogger logger, string remote, string detail);
}
