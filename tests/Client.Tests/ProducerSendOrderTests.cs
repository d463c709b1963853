using Microsoft.Extensions.Time.Testing;
using Orlog.Grains;
using Orlog.Records;

namespace Orlog.Client.Tests;

/// <summary>
/// The accumulator's rules for what an idempotent producer may send beside what it has in flight, driven without a
/// broker: a retry is sent only when nothing else of its partition is in flight, and nothing goes to a new leader while batches sent to the old one are unanswered.
/// Either mistake lets a later sequence reach a leader first and wait there for the earlier ones while holding the
/// in-flight slots they need (seen as a 5 s stall in a failover).
/// </summary>
public sealed class ProducerSendOrderTests
{
    private const string Topic = "orders";

    private static Grains.TopicMetadata Metadata(int leader, int leaderEpoch) =>
        new(Topic, Guid.Empty, new Dictionary<string, string>(), [new Grains.PartitionMetadata(0, leader, leaderEpoch, [1, 2, 3], [1, 2, 3], leaderEpoch)]);

    private sealed class Harness
    {
        private readonly FakeTimeProvider _time = new();

        /// <param name="maxInFlight">max.in.flight.requests.per.connection.</param>
        /// <param name="batchSize">batch.size.</param>
        /// <param name="lingerMs">linger.ms.</param>
        public Harness(int maxInFlight = 5, int batchSize = 16384, int lingerMs = 0)
        {
            var settings = new ProducerSettings(new ProducerConfig
            {
                EnableIdempotence = true,
                Acks = Acks.All,
                LingerMs = lingerMs,
                BatchSize = batchSize,
                MaxInFlight = maxInFlight,
                RetryBackoffMs = 100,
            });
            Accumulator = new RecordAccumulator<Null, byte[]>(settings, new Clock(_time), new AsyncSignal(), _ => { })
            {
                ProducerId = new ProducerIdAndEpoch(7, 0),
            };
        }

        public RecordAccumulator<Null, byte[]> Accumulator { get; }

        /// <summary>Appends one record as its own batch (linger.ms=0 closes it at the next drain).</summary>
        public void Append(Grains.TopicMetadata metadata, int value)
        {
            var message = new Message<Null, byte[]> { Value = [(byte)value] };
            Accumulator.Append(metadata, 0, RecordBytes.Null, message.Value, [], 0, new PendingRecord<Null, byte[]>(message, 0, null, null));
        }

        /// <summary>Drains once and returns the batches sent, with the broker each went to.</summary>
        public List<(int Broker, ProducerBatch<Null, byte[]> Batch)> Drain()
        {
            var work = new List<ProduceWork<Null, byte[]>>();
            Accumulator.Drain(work, []);
            var sent = new List<(int, ProducerBatch<Null, byte[]>)>();
            foreach (var request in work)
            {
                foreach (var batch in request.Batches)
                {
                    _ = Accumulator.BytesOf(batch);
                    sent.Add((request.Broker, batch));
                }
            }
            return sent;
        }

        /// <summary>Answers a sent batch and frees its request's slot.</summary>
        public void Succeed((int Broker, ProducerBatch<Null, byte[]> Batch) sent)
        {
            Accumulator.Succeeded(sent.Batch, 0, -1, PersistenceStatus.Persisted);
            Accumulator.RequestDone(sent.Broker);
        }

        public void Retry((int Broker, ProducerBatch<Null, byte[]> Batch) sent)
        {
            Accumulator.Retry(sent.Batch);
            Accumulator.RequestDone(sent.Broker);
        }

        public void PassBackoff() => _time.Advance(TimeSpan.FromMilliseconds(150));

        public void Advance(int ms) => _time.Advance(TimeSpan.FromMilliseconds(ms));

        public void Advance(long ms) => _time.Advance(TimeSpan.FromMilliseconds(ms));

        /// <summary>Drains once, sending nothing: how long until something is ready, and until the oldest waiting batch expires.</summary>
        public (long Wait, long ExpiresIn) DrainWait()
        {
            var wait = Accumulator.Drain([], [], out var expiresIn);
            return (wait, expiresIn);
        }
    }

    /// <summary>Sends batches one drain at a time until nothing more goes out.</summary>
    private static List<(int Broker, ProducerBatch<Null, byte[]> Batch)> DrainAll(Harness harness)
    {
        var all = new List<(int, ProducerBatch<Null, byte[]>)>();
        while (harness.Drain() is { Count: > 0 } sent)
        {
            all.AddRange(sent);
        }
        return all;
    }

    private static (int Broker, ProducerBatch<Null, byte[]> Batch) Establish(Harness harness, Grains.TopicMetadata metadata)
    {
        harness.Append(metadata, 0);
        var first = Assert.Single(harness.Drain());
        harness.Succeed(first);
        return first;
    }

    [Fact]
    public void Established_partitions_pipeline_new_batches_up_to_the_in_flight_limit()
    {
        var harness = new Harness(maxInFlight: 3);
        var metadata = Metadata(leader: 1, leaderEpoch: 0);
        Establish(harness, metadata);
        var sent = 0;
        for (var i = 1; i <= 4; i++)
        {
            harness.Append(metadata, i);
            sent += harness.Drain().Count;
        }
        Assert.Equal(3, sent);
        Assert.Empty(harness.Drain());
    }

    [Fact]
    public void A_lingered_batch_whose_slots_are_all_in_flight_keeps_filling_until_an_answer_frees_one()
    {
        var harness = new Harness(maxInFlight: 2, batchSize: 1 << 20, lingerMs: 5);
        var metadata = Metadata(leader: 1, leaderEpoch: 0);
        harness.Append(metadata, 0);
        harness.Advance(5);
        harness.Succeed(Assert.Single(harness.Drain()));
        var inFlight = new List<(int Broker, ProducerBatch<Null, byte[]> Batch)>();
        for (var i = 1; i <= 2; i++)
        {
            harness.Append(metadata, i);
            harness.Advance(5);
            inFlight.AddRange(harness.Drain());
        }
        Assert.Equal(2, inFlight.Count);

        // Lingered long enough, but both slots are taken: one open batch, not a batch per drain.
        for (var i = 3; i <= 12; i++)
        {
            harness.Append(metadata, i);
            harness.Advance(5);
            Assert.Empty(harness.Drain());
        }
        harness.Succeed(inFlight[0]);
        var next = Assert.Single(harness.Drain());
        Assert.Equal(10, next.Batch.RecordCount);
    }

    [Fact]
    public void A_retried_batch_waits_until_nothing_else_of_its_partition_is_in_flight_then_goes_alone_in_sequence_order()
    {
        var harness = new Harness();
        var metadata = Metadata(leader: 1, leaderEpoch: 0);
        Establish(harness, metadata);
        var sent = new List<(int Broker, ProducerBatch<Null, byte[]> Batch)>();
        for (var i = 1; i <= 3; i++)
        {
            harness.Append(metadata, i);
            sent.AddRange(harness.Drain());
        }
        Assert.Equal(3, sent.Count);
        Assert.True(sent[0].Batch.BaseSequence < sent[1].Batch.BaseSequence);

        // The middle one fails first: it must not overtake the first, still in flight.
        harness.Retry(sent[1]);
        harness.PassBackoff();
        Assert.Empty(harness.Drain());

        // The others fail too: the retries go one at a time, lowest sequence first.
        harness.Retry(sent[2]);
        harness.Retry(sent[0]);
        harness.PassBackoff();
        var order = new List<int>();
        while (harness.Drain() is { Count: > 0 } next)
        {
            var only = Assert.Single(next);
            Assert.Empty(harness.Drain()); // alone: nothing else goes while it is in flight
            order.Add(only.Batch.BaseSequence);
            harness.Succeed(only);
        }
        Assert.Equal([sent[0].Batch.BaseSequence, sent[1].Batch.BaseSequence, sent[2].Batch.BaseSequence], order);
    }

    [Fact]
    public void A_batch_stuck_behind_a_failed_one_still_wakes_the_sender_to_expire_at_delivery_timeout()
    {
        // The full-disk hang: a sent batch failed for good (the partition needs a new producer id), another sent one
        // waits in the queue for a retry it cannot get under the old id, so nothing can be sent; the sender must not
        // sleep until woken, or that batch never expires and a Flush never returns.
        var harness = new Harness();
        var metadata = Metadata(leader: 1, leaderEpoch: 0);
        Establish(harness, metadata);
        harness.Append(metadata, 1);
        var first = Assert.Single(harness.Drain());
        harness.Append(metadata, 2);
        var second = Assert.Single(harness.Drain());
        harness.Retry(second);
        harness.Accumulator.Failed(first.Batch, new Error(ErrorCode.KafkaStorageError, "No space left on device"), PersistenceStatus.NotPersisted);
        harness.Accumulator.RequestDone(first.Broker);
        Assert.Equal(1, harness.Accumulator.IncompleteRecords);

        // Nothing becomes ready with time alone (the sender stays idle, so a new open batch would still wake it), but
        // the waiting batch's expiry bounds its sleep.
        var (wait, expiresIn) = harness.DrainWait();
        Assert.Equal(-1, wait);
        Assert.InRange(expiresIn, 1, new ProducerConfig().DeliveryTimeoutMs);
        for (var round = 0; round < 10 && harness.Accumulator.IncompleteRecords > 0 && expiresIn >= 0; round++)
        {
            harness.Advance(expiresIn);
            (_, expiresIn) = harness.DrainWait();
        }
        Assert.Equal(0, harness.Accumulator.IncompleteRecords);
    }

    [Fact]
    public void Nothing_goes_to_a_new_leader_while_a_batch_sent_to_the_old_one_is_unanswered()
    {
        var harness = new Harness();
        var before = Metadata(leader: 1, leaderEpoch: 0);
        Establish(harness, before);
        harness.Append(before, 1);
        var toOldLeader = Assert.Single(harness.Drain());
        Assert.Equal(1, toOldLeader.Broker);

        // The leader moves to broker 2 while that batch is unanswered; new records must wait for its outcome.
        var after = Metadata(leader: 2, leaderEpoch: 1);
        harness.Accumulator.UpdateMetadata(after);
        harness.Append(after, 2);
        harness.Append(after, 3);
        Assert.Empty(DrainAll(harness));

        // Its answer (a retriable failure) releases them: the retry first, then the new batches behind it, all to
        // the new leader, in sequence order.
        harness.Retry(toOldLeader);
        harness.PassBackoff();
        var sent = DrainAll(harness);
        Assert.Equal(2, sent.Count); // the two new records share a batch
        Assert.All(sent, s => Assert.Equal(2, s.Broker));
        Assert.Equal(toOldLeader.Batch, sent[0].Batch);
        Assert.True(sent[0].Batch.BaseSequence < sent[1].Batch.BaseSequence);
    }
}
