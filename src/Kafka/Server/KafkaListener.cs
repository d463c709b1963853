using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Orlog.Kafka.Server;

/// <summary>
/// The Kafka listener of one broker: accepts connections on a socket bound by its owner (the silo binds its
/// ports exclusively before it starts) and runs each as a <see cref="KafkaConnection"/>, many in parallel.
/// Disposing it stops accepting, closes every connection and waits for them.
/// </summary>
public sealed partial class KafkaListener : IAsyncDisposable
{
    /// <summary>socket.request.max.bytes' default: the largest request frame, 100 MiB.</summary>
    public const int DefaultMaxRequestBytes = 100 * 1024 * 1024;

    private readonly Socket _socket;
    private readonly KafkaRequestHandler _handler;
    private readonly int _maxRequestBytes;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Task, bool> _connections = new();
    private Task _accepting = Task.CompletedTask;

    /// <param name="socket">A TCP socket bound to the listener's endpoint, not yet listening; the listener owns it from now on.</param>
    /// <param name="handler">Answers the requests.</param>
    /// <param name="maxRequestBytes">socket.request.max.bytes: a larger frame closes its connection.</param>
    /// <param name="logger">One line per connection closed for a bad request.</param>
    public KafkaListener(Socket socket, KafkaRequestHandler handler, int maxRequestBytes, ILogger<KafkaListener> logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRequestBytes, 1024);
        _socket = socket;
        _handler = handler;
        _maxRequestBytes = maxRequestBytes;
        _logger = logger;
    }

    /// <summary>Where it listens.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>The connections open now.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>Starts accepting connections.</summary>
    public void Start()
    {
        _socket.Listen(512);
        _accepting = Task.Run(AcceptAsync);
        LogListening(_logger, EndPoint.ToString());
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stop.Token);
            }
            catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException || (error is SocketException && _stop.IsCancellationRequested))
            {
                return;
            }
            catch (SocketException error)
            {
                // A connection reset before it was accepted, or descriptors exhausted: the listener goes on.
                LogAcceptFailed(_logger, error.Message);
                continue;
            }
            client.NoDelay = true;
            var connection = new KafkaConnection(client, _handler, _maxRequestBytes, _logger);
            var running = Task.Run(() => connection.RunAsync(_stop.Token));
            _connections.TryAdd(running, true);
            _ = running.ContinueWith(done => _connections.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Task.WhenAll(_connections.Keys).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 1310, Level = LogLevel.Information, Message = "Kafka listener on {EndPoint}")]
    private static partial void LogListening(ILogger logger, string endPoint);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Warning, Message = "Kafka listener: accepting a connection failed: {Detail}")]
    private static partial void LogAcceptFailed(ILogger logger, string detail);
}
