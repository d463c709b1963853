using System.Buffers;
using Orlog.Kafka.Protocol;
using Orlog.Kafka.Protocol.Messages;
using Orlog.Kafka.Server;

namespace Orlog.Kafka.Tests.Server;

/// <summary>
/// Records a broker leaves in their segment files: the connection sends them from the file (sendfile), and the
/// answer is byte for byte the one a copying broker writes.
/// </summary>
public sealed class ZeroCopyFetchTests : ListenerHarness, IDisposable
{
    private readonly string _file = Path.GetTempFileName();

    public ZeroCopyFetchTests()
    {
        // A "segment" of 300 KiB of patterned bytes: more than one socket buffer, so the send goes in several steps.
        File.WriteAllBytes(_file, [.. Enumerable.Range(0, 300 * 1024).Select(i => (byte)(i * 7))]);
    }

    public void Dispose() => File.Delete(_file);

    private byte[] FileBytes(long position, int length) => File.ReadAllBytes(_file).AsSpan((int)position, length).ToArray();

    private static FetchRequest TwoPartitions()
    {
        var request = new FetchRequest { MaxWaitMs = 0, MinBytes = 1, MaxBytes = 1 << 20, SessionEpoch = -1 };
        var topic = new FetchRequest.FetchTopic { Topic = "orders", TopicId = FakeKafkaBackend.OrdersId };
        topic.Partitions.Add(new FetchRequest.FetchPartition { Partition = 0, FetchOffset = 0, PartitionMaxBytes = 1 << 20 });
        topic.Partitions.Add(new FetchRequest.FetchPartition { Partition = 2, FetchOffset = 0, PartitionMaxBytes = 1 << 20 });
        request.Topics.Add(topic);
        return request;
    }

    [Theory]
    [InlineData(4)]
    [InlineData(11)]
    [InlineData(16)] // flexible: compact lengths and tagged fields around the records
    public async Task Records_in_file_regions_reach_the_client_as_the_file_holds_them_and_the_files_are_closed_after(short version)
    {
        var regions = new List<FileRegion>();
        Backend.FetchAnswer = fetch => [.. fetch.Partitions.Select(p =>
        {
            var (position, length) = p.Partition == 0 ? (1000L, 200_000) : (250_000L, 7);
            var region = FileRegion.TryOpen(_file, position, length)!;
            regions.Add(region);
            return new KafkaFetchResult(p.Topic, p.Partition, ErrorCode.None, null, 50, 50, 0, region.Memory);
        })];

        var answer = await AskAsync(FetchRequest.ApiKey, version, TwoPartitions(), FetchResponse.Read);

        var partitions = answer.Responses.Single().Partitions;
        Assert.Equal(FileBytes(1000, 200_000), partitions.Single(p => p.PartitionIndex == 0).Records!.Value.ToArray());
        Assert.Equal(FileBytes(250_000, 7), partitions.Single(p => p.PartitionIndex == 2).Records!.Value.ToArray());
        Assert.All(regions, region => Assert.True(region.File.SafeFileHandle.IsClosed));
    }

    [Fact]
    public void A_writer_that_splices_writes_everything_but_the_regions_bytes_and_says_where_they_go()
    {
        var copied = Response(new ReadOnlyMemory<byte>(FileBytes(10, 5000)));
        using var region = FileRegion.TryOpen(_file, 10, 5000)!;
        var spliced = Response(region.Memory);

        var expected = new ArrayBufferWriter<byte>();
        copied.Write(new KafkaWriter(expected), 16);
        var output = new ArrayBufferWriter<byte>();
        var splices = new List<FileSplice>();
        spliced.Write(new KafkaWriter(output, splices), 16);

        var splice = Assert.Single(splices);
        Assert.Equal(5000, splice.Length);
        var position = (int)splice.OutputPosition;
        byte[] assembled = [.. output.WrittenSpan[..position], .. FileBytes(10, 5000), .. output.WrittenSpan[position..]];
        Assert.Equal(expected.WrittenSpan.ToArray(), assembled);

        // A writer that does not splice reads the region instead.
        var materialized = new ArrayBufferWriter<byte>();
        spliced.Write(new KafkaWriter(materialized), 16);
        Assert.Equal(expected.WrittenSpan.ToArray(), materialized.WrittenSpan.ToArray());
    }

    private static FetchResponse Response(ReadOnlyMemory<byte> records)
    {
        var response = new FetchResponse();
        var topic = new FetchResponse.FetchableTopicResponse { TopicId = FakeKafkaBackend.OrdersId };
        topic.Partitions.Add(new FetchResponse.PartitionData { PartitionIndex = 0, HighWatermark = 9, Records = records });
        topic.Partitions.Add(new FetchResponse.PartitionData { PartitionIndex = 1, HighWatermark = 3, Records = new byte[] { 1, 2, 3 } });
        response.Responses.Add(topic);
        return response;
    }

    [Fact]
    public void A_file_deleted_before_it_is_opened_gives_no_region()
    {
        File.Delete(_file);
        Assert.Null(FileRegion.TryOpen(_file, 0, 10));
    }
}
