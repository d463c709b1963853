namespace Orlog.Client;

internal sealed partial class Consumer<TKey, TValue>
{
    public IReadOnlyList<string> Subscription => [];

    public string MemberId => "";

    public void Subscribe(IEnumerable<string> topics) => throw new NotImplementedException();

    public void Subscribe(string topic) => Subscribe([topic]);

    public void Unsubscribe() => throw new NotImplementedException();

    public long? CurrentLag(TopicPartition partition) => throw new NotImplementedException();

    public void StoreOffset(ConsumeResult<TKey, TValue> result) => throw new NotImplementedException();

    public void StoreOffset(TopicPartitionOffset offset) => throw new NotImplementedException();

    public IReadOnlyList<TopicPartitionOffset> Commit() => throw new NotImplementedException();

    public void Commit(IEnumerable<TopicPartitionOffset> offsets) => throw new NotImplementedException();

    public void Commit(ConsumeResult<TKey, TValue> result) => throw new NotImplementedException();

    public Task<IReadOnlyList<TopicPartitionOffset>> CommitAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task CommitAsync(IEnumerable<TopicPartitionOffset> offsets, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public IReadOnlyList<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout) => throw new NotImplementedException();
}
