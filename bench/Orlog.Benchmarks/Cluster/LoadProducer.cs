using System.Diagnostics;
using Orlog.Client;

namespace Orlog.Benchmarks.Cluster;

/// <summary>
/// Other traffic while a reassignment runs: one thread producing as fast as the producer takes records (its
/// buffer.memory blocks it), 100-byte records round robin over a topic's partitions, counting acknowledgements so
/// a caller can read the rate over any window. Disposing stops it and flushes.
/// </summary>
internal sealed class LoadProducer : IAsyncDisposable
{
    private readonly IProducer<Null, byte[]> _producer;
    private readonly Thread _thread;
    private long _acked;
    private long _failed;
    private int _stop;
    private Exception? _error;

    private LoadProducer(IProducer<Null, byte[]> producer, string topic, int recordBytes)
    {
        _producer = producer;
        var value = new byte[recordBytes];
        new Random(11).NextBytes(value);
        Action<DeliveryReport<Null, byte[]>> onDelivery = report => Interlocked.Increment(ref report.Error.IsError ? ref _failed : ref _acked);
        _thread = new Thread(() =>
        {
            try
            {
                while (Volatile.Read(ref _stop) == 0)
                {
                    _producer.Produce(topic, new Message<Null, byte[]> { Value = value }, onDelivery);
                }
            }
            catch (Exception error)
            {
                _error = error;
            }
        })
        { IsBackground = true, Name = "reassign load producer" };
        _thread.Start();
    }

    public static async Task<LoadProducer> StartAsync(OrlogClient client, ProducerConfig config, string topic, int recordBytes) =>
        new(await new ProducerBuilder<Null, byte[]>(config).SetClient(client).BuildAsync().ConfigureAwait(false), topic, recordBytes);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>A point to measure from: the acknowledgements so far and the moment.</summary>
    public (long Acked, long Timestamp) Mark()
    {
        if (_error is not null)
        {
            throw new InvalidOperationException($"The load producer failed: {_error.Message}", _error);
        }
        return (Interlocked.Read(ref _acked), Stopwatch.GetTimestamp());
    }

    /// <summary>Acknowledged records per second since <paramref name="from"/>.</summary>
    public double RateSince((long Acked, long Timestamp) from)
    {
        var now = Mark();
        return (now.Acked - from.Acked) / Stopwatch.GetElapsedTime(from.Timestamp, now.Timestamp).TotalSeconds;
    }

    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _stop, 1);
        _thread.Join();
        using (var flush = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            try
            {
                await _producer.FlushAsync(flush.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("the load producer did not flush within 60 s");
            }
        }
        await _producer.DisposeAsync().ConfigureAwait(false);
    }
}
