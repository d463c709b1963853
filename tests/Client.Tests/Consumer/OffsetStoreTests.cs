using Microsoft.Extensions.Time.Testing;

namespace Orlog.Client.Tests.Consumer;

public sealed class OffsetStoreTests
{
    private static readonly TopicPartition _p0 = new("orders", 0);
    private static readonly TopicPartition _p1 = new("orders", 1);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void ConsumingStoresTheNextOffsetOnlyWithAutoStore()
    {
        var store = Store(autoStore: true);
        var offsets = store.Add(_p0, -1);
        store.Consumed(offsets, 5);
        Assert.Equal((5L, 5L), (offsets.Position, offsets.Stored));
        var manual = Store(autoStore: false);
        var other = manual.Add(_p0, -1);
        manual.Consumed(other, 5);
        Assert.Equal((5L, -1L), (other.Position, other.Stored));
    }

    [Fact]
    public void StoringForAPartitionNotAssignedIsRefused()
    {
        var store = Store();
        var error = Assert.Throws<InvalidOperationException>(() => store.Store(_p0, 3));
        Assert.Contains("orders", error.Message);
    }

    [Fact]
    public void ToCommitTakesStoredOffsetsChangedSinceTheLastCommitOrOfTheGivenPartitions()
    {
        var store = Store();
        store.Add(_p0, 4);
        store.Add(_p1, -1);
        Assert.Empty(store.ToCommit(null, changedOnly: false));
        store.Store(_p0, 4);
        store.Store(_p1, 9);
        Assert.Equal([new TopicPartitionOffset(_p1, 9)], store.ToCommit(null, changedOnly: true));
        Assert.Equal(2, store.ToCommit(null, changedOnly: false).Count);
        Assert.Equal([new TopicPartitionOffset(_p0, 4)], store.ToCommit([_p0], changedOnly: false));
        store.MarkCommitted([new TopicPartitionOffset(_p1, 9)]);
        Assert.Empty(store.ToCommit(null, changedOnly: true));
    }

    [Fact]
    public void ACommitOfAPartitionGoneMeanwhileIsSkipped()
    {
        var store = Store();
        store.Add(_p0, -1);
        store.Remove(_p0);
        store.MarkCommitted([new TopicPartitionOffset(_p0, 3)]);
        Assert.False(store.TryGet(_p0, out _));
    }

    [Fact]
    public void TheAutoCommitIsDueEveryInterval()
    {
        var store = Store(autoCommit: true);
        Assert.False(store.TakeAutoCommit());
        Assert.Equal(5_000, store.UntilAutoCommitMs);
        _time.Advance(TimeSpan.FromMilliseconds(5_000));
        Assert.True(store.TakeAutoCommit());
        Assert.False(store.TakeAutoCommit());
        Assert.Equal(5_000, store.UntilAutoCommitMs);
        Assert.Equal(-1, Store(autoCommit: false).UntilAutoCommitMs);
    }

    private OffsetStore Store(bool autoCommit = false, bool autoStore = true) => new(new Clock(_time), autoCommit, 5_000, autoStore);
}
