using System.Text;

namespace Orlog.Records.Tests;

public sealed class PartitionerAndTopicNameTests
{
    // Vectors from Kafka's own tests of Utils.murmur2 (facts about its output, not its code).
    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void Murmur2MatchesKafka(string key, int expected) => Assert.Equal(expected, Murmur2Partitioner.Hash(Encoding.UTF8.GetBytes(key)));

    [Fact]
    public void PartitionIsTheMaskedHashModuloTheCount()
    {
        Assert.Equal((-973932308 & 0x7fffffff) % 12, Murmur2Partitioner.Partition("21"u8, 12));
        for (var i = 0; i < 1000; i++)
        {
            var key = Encoding.UTF8.GetBytes($"key-{i}");
            Assert.InRange(Murmur2Partitioner.Partition(key, 7), 0, 6);
            Assert.Equal(Murmur2Partitioner.Partition(key, 7), Murmur2Partitioner.Partition(key, 7));
        }
    }

    [Theory]
    [InlineData("events")]
    [InlineData("a.b_c-D9")]
    [InlineData("...")]
    public void LegalTopicNamesPass(string name)
    {
        TopicName.Validate(name);
        Assert.True(TopicName.IsValid(name));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData(".", "'.' and '..'")]
    [InlineData("..", "'.' and '..'")]
    [InlineData("with space", "' ' is not allowed")]
    [InlineData("slash/topic", "'/' is not allowed")]
    public void IllegalTopicNamesAreInvalidTopicException(string name, string why)
    {
        var error = Assert.Throws<KafkaException>(() => TopicName.Validate(name));
        Assert.Equal(ErrorCode.InvalidTopicException, error.Code);
        Assert.Contains(why, error.Message);
        Assert.False(TopicName.IsValid(name));
    }

    [Fact]
    public void TopicNamesLongerThan249AreRefused()
    {
        TopicName.Validate(new string('a', 249));
        Assert.Contains("250 characters", Assert.Throws<KafkaException>(() => TopicName.Validate(new string('a', 250))).Message);
    }
}
