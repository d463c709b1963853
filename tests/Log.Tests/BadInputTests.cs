using System.Buffers.Binary;
using Orlog.Records;

namespace Orlog.Log.Tests;

/// <summary>A refused batch gets Kafka's error naming the cause, and the log is unchanged.</summary>
public sealed class BadInputTests
{
    private static void AssertRefusedAndUnchanged(LogFixture fixture, byte[] batch, ErrorCode expected)
    {
        var end = fixture.Log.LogEndOffset;
        var size = fixture.Log.Size;
        var error = Assert.Throws<KafkaException>(() => fixture.Log.AppendAsLeader(batch, 0));
        Assert.Equal(expected, error.Code);
        Assert.StartsWith(expected.KafkaName(), error.Message);
        Assert.Equal(end, fixture.Log.LogEndOffset);
        Assert.Equal(size, fixture.Log.Size);
        Assert.False(fixture.Log.IsFailed);
    }

    private static LogFixture LogWithOneBatch()
    {
        var fixture = new LogFixture(new LogConfig { MaxMessageBytes = 4096 });
        fixture.Log.AppendAsLeader(TestBatches.Make(3), 0);
        return fixture;
    }

    [Fact]
    public void WrongCrcIsCorruptMessage()
    {
        using var fixture = LogWithOneBatch();
        var batch = TestBatches.Make(3);
        batch[^1] ^= 0x01;
        AssertRefusedAndUnchanged(fixture, batch, ErrorCode.CorruptMessage);
    }

    [Fact]
    public void WrongMagicIsRefused()
    {
        using var fixture = LogWithOneBatch();
        var batch = TestBatches.Make(3);
        batch[RecordBatchHeader.MagicOffset] = 1;
        var error = Assert.Throws<KafkaException>(() => fixture.Log.AppendAsLeader(batch, 0));
        Assert.Contains("magic", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void LengthPastTheBufferIsCorruptMessage()
    {
        using var fixture = LogWithOneBatch();
        var batch = TestBatches.Make(3);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.BatchLengthOffset), batch.Length);
        AssertRefusedAndUnchanged(fixture, batch, ErrorCode.CorruptMessage);
    }

    [Fact]
    public void RecordCountThatDisagreesIsRefused()
    {
        using var fixture = LogWithOneBatch();
        var batch = TestBatches.Make(3);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.RecordCountOffset), 4);
        RecordBatchHeader.WriteCrc(batch);
        var error = Assert.Throws<KafkaException>(() => fixture.Log.AppendAsLeader(batch, 0));
        Assert.True(error.Code is ErrorCode.CorruptMessage or ErrorCode.InvalidRecord);
        Assert.Equal(3, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void BatchOverMaxMessageBytesIsMessageTooLarge()
    {
        using var fixture = LogWithOneBatch();
        AssertRefusedAndUnchanged(fixture, TestBatches.Make(10, valueSize: 1000), ErrorCode.MessageTooLarge);
    }

    [Fact]
    public void TruncatedBatchIsCorruptMessage()
    {
        using var fixture = LogWithOneBatch();
        var batch = TestBatches.Make(3);
        AssertRefusedAndUnchanged(fixture, batch[..^5], ErrorCode.CorruptMessage);
    }
}
