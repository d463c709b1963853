namespace Orlog.Client;

/// <summary>What the sender sends in one request: a batch per partition for one broker.</summary>
internal sealed record ProduceWork<TKey, TValue>(int Broker, List<ProducerBatch<TKey, TValue>> Batches);
