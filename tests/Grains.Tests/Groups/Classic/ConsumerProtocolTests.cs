using Orlog.Grains.Groups.Classic;

namespace Orlog.Grains.Tests.Groups.Classic;

public sealed class ConsumerProtocolTests
{
    private static readonly TopicPartition[] _owned = [new("t", 0), new("t", 2), new("u", 1)];

    // Worked by hand from Kafka's ConsumerProtocolSubscription schema: int16 version, [string] topics
    // (int32 count, int16 length + UTF-8), nullable bytes user data (int32 length, -1 = null),
    // v1+ [topic, [int32]] owned partitions, v2+ int32 generation, v3+ nullable string rack.
    private static readonly byte[] _subscriptionV0 =
    [
        0x00, 0x00,                         // version 0
        0x00, 0x00, 0x00, 0x02,             // 2 topics
        0x00, 0x02, (byte)'a', (byte)'b',   // "ab"
        0x00, 0x01, (byte)'c',              // "c"
        0xFF, 0xFF, 0xFF, 0xFF,             // user data null
    ];

    private static readonly byte[] _subscriptionV3 =
    [
        0x00, 0x03,                         // version 3
        0x00, 0x00, 0x00, 0x01,             // 1 topic
        0x00, 0x01, (byte)'t',              // "t"
        0x00, 0x00, 0x00, 0x02, 0x01, 0x02, // user data [1, 2]
        0x00, 0x00, 0x00, 0x02,             // owned: 2 topics
        0x00, 0x01, (byte)'t',              //   "t"
        0x00, 0x00, 0x00, 0x02,             //   2 partitions
        0x00, 0x00, 0x00, 0x00,             //   0
        0x00, 0x00, 0x00, 0x02,             //   2
        0x00, 0x01, (byte)'u',              //   "u"
        0x00, 0x00, 0x00, 0x01,             //   1 partition
        0x00, 0x00, 0x00, 0x01,             //   1
        0x00, 0x00, 0x00, 0x07,             // generation 7
        0x00, 0x02, (byte)'r', (byte)'1',   // rack "r1"
    ];

    // ConsumerProtocolAssignment: int16 version, [topic, [int32]] assigned partitions, nullable bytes user data.
    private static readonly byte[] _assignmentV0 =
    [
        0x00, 0x00,                         // version 0
        0x00, 0x00, 0x00, 0x01,             // 1 topic
        0x00, 0x01, (byte)'t',              // "t"
        0x00, 0x00, 0x00, 0x02,             // 2 partitions
        0x00, 0x00, 0x00, 0x00,             // 0
        0x00, 0x00, 0x00, 0x01,             // 1
        0xFF, 0xFF, 0xFF, 0xFF,             // user data null
    ];

    private static readonly byte[] _assignmentV3 =
    [
        0x00, 0x03,                         // version 3
        0x00, 0x00, 0x00, 0x02,             // 2 topics
        0x00, 0x01, (byte)'t',              // "t"
        0x00, 0x00, 0x00, 0x02,             // 2 partitions
        0x00, 0x00, 0x00, 0x00,             // 0
        0x00, 0x00, 0x00, 0x02,             // 2
        0x00, 0x01, (byte)'u',              // "u"
        0x00, 0x00, 0x00, 0x01,             // 1 partition
        0x00, 0x00, 0x00, 0x01,             // 1
        0x00, 0x00, 0x00, 0x00,             // user data empty (not null)
    ];

    [Fact]
    public void SubscriptionV0IsTopicsAndUserDataOnly()
    {
        var subscription = new ConsumerSubscription(["ab", "c"], null, _owned, 7, "r1");
        Assert.Equal(_subscriptionV0, ConsumerProtocol.EncodeSubscription(subscription, 0));

        var decoded = ConsumerProtocol.DecodeSubscription(_subscriptionV0);
        Assert.Equal(["ab", "c"], decoded.Topics);
        Assert.Null(decoded.UserData);
        Assert.Empty(decoded.OwnedPartitions);
        Assert.Equal(-1, decoded.GenerationId);
        Assert.Null(decoded.RackId);
    }

    [Fact]
    public void SubscriptionV3HasEveryField()
    {
        var subscription = new ConsumerSubscription(["t"], [1, 2], _owned, 7, "r1");
        Assert.Equal(_subscriptionV3, ConsumerProtocol.EncodeSubscription(subscription));

        var decoded = ConsumerProtocol.DecodeSubscription(_subscriptionV3);
        Assert.Equal(["t"], decoded.Topics);
        Assert.Equal([1, 2], decoded.UserData);
        Assert.Equal(_owned, decoded.OwnedPartitions);
        Assert.Equal(7, decoded.GenerationId);
        Assert.Equal("r1", decoded.RackId);
    }

    [Fact]
    public void SubscriptionV1AndV2StopBeforeTheFieldsTheyLack()
    {
        var subscription = new ConsumerSubscription(["t"], [1, 2], _owned, 7, "r1");
        // v1 ends after the owned partitions, v2 after the generation; the version field says which.
        var v1 = ConsumerProtocol.EncodeSubscription(subscription, 1);
        var v2 = ConsumerProtocol.EncodeSubscription(subscription, 2);
        Assert.Equal([0x00, 0x01, .. _subscriptionV3[2..^8]], v1);
        Assert.Equal([0x00, 0x02, .. _subscriptionV3[2..^4]], v2);

        var decoded1 = ConsumerProtocol.DecodeSubscription(v1);
        Assert.Equal(_owned, decoded1.OwnedPartitions);
        Assert.Equal(-1, decoded1.GenerationId);
        Assert.Null(decoded1.RackId);
        var decoded2 = ConsumerProtocol.DecodeSubscription(v2);
        Assert.Equal(7, decoded2.GenerationId);
        Assert.Null(decoded2.RackId);
    }

    [Fact]
    public void SubscriptionNullRackAndEmptyUserDataAreKeptApart()
    {
        var subscription = new ConsumerSubscription([], [], [], -1, null);
        var bytes = ConsumerProtocol.EncodeSubscription(subscription);
        Assert.Equal(
            [0x00, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
            bytes);
        var decoded = ConsumerProtocol.DecodeSubscription(bytes);
        Assert.NotNull(decoded.UserData);
        Assert.Empty(decoded.UserData);
        Assert.Null(decoded.RackId);
        Assert.Equal(-1, decoded.GenerationId);
    }

    [Fact]
    public void AssignmentV0AndV3()
    {
        Assert.Equal(_assignmentV0, ConsumerProtocol.EncodeAssignment(new ConsumerAssignment([new("t", 0), new("t", 1)], null), 0));
        var v3 = new ConsumerAssignment(_owned, []);
        Assert.Equal(_assignmentV3, ConsumerProtocol.EncodeAssignment(v3));

        var decoded0 = ConsumerProtocol.DecodeAssignment(_assignmentV0);
        Assert.Equal([new("t", 0), new("t", 1)], decoded0.Partitions);
        Assert.Null(decoded0.UserData);
        var decoded3 = ConsumerProtocol.DecodeAssignment(_assignmentV3);
        Assert.Equal(_owned, decoded3.Partitions);
        Assert.NotNull(decoded3.UserData);
        Assert.Empty(decoded3.UserData);
    }

    [Fact]
    public void PartitionsOfOneTopicAreGroupedInOrderOfFirstAppearance()
    {
        TopicPartition[] mixed = [new("b", 3), new("a", 1), new("b", 0)];
        var decoded = ConsumerProtocol.DecodeAssignment(ConsumerProtocol.EncodeAssignment(new ConsumerAssignment(mixed, null)));
        Assert.Equal([new("b", 3), new("b", 0), new("a", 1)], decoded.Partitions);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RoundTripsAtEveryVersion(short version)
    {
        var subscription = new ConsumerSubscription(["orders", "payments", "ünïcode"], [9, 8, 7], [new("orders", 5), new("payments", 0)], 42, "eu-west-1a");
        var decoded = ConsumerProtocol.DecodeSubscription(ConsumerProtocol.EncodeSubscription(subscription, version));
        Assert.Equal(subscription.Topics, decoded.Topics);
        Assert.Equal(subscription.UserData, decoded.UserData);
        Assert.Equal(version >= 1 ? subscription.OwnedPartitions : [], decoded.OwnedPartitions);
        Assert.Equal(version >= 2 ? 42 : -1, decoded.GenerationId);
        Assert.Equal(version >= 3 ? "eu-west-1a" : null, decoded.RackId);

        var assignment = new ConsumerAssignment([new("orders", 1), new("orders", 2), new("ünïcode", 0)], [5]);
        var decodedAssignment = ConsumerProtocol.DecodeAssignment(ConsumerProtocol.EncodeAssignment(assignment, version));
        Assert.Equal(assignment.Partitions, decodedAssignment.Partitions);
        Assert.Equal(assignment.UserData, decodedAssignment.UserData);
    }

    [Fact]
    public void ANewerVersionIsReadAsTheNewestKnownIgnoringWhatFollows()
    {
        byte[] v4 = [0x00, 0x04, .. _subscriptionV3[2..], 0xAB, 0xCD, 0xEF];
        var decoded = ConsumerProtocol.DecodeSubscription(v4);
        Assert.Equal("r1", decoded.RackId);
        Assert.Equal(_owned, decoded.OwnedPartitions);

        byte[] assignmentV9 = [0x00, 0x09, .. _assignmentV3[2..], 0x01];
        Assert.Equal(_owned, ConsumerProtocol.DecodeAssignment(assignmentV9).Partitions);
    }

    [Fact]
    public void EncodingAnUnknownVersionIsRefused()
    {
        var subscription = new ConsumerSubscription([], null, [], -1, null);
        Assert.Throws<ArgumentOutOfRangeException>(() => ConsumerProtocol.EncodeSubscription(subscription, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConsumerProtocol.EncodeAssignment(new ConsumerAssignment([], null), -1));
    }

    public static TheoryData<string, byte[], string> MalformedSubscriptions => new()
    {
        { "empty", [], "truncated at byte 0 reading version" },
        { "half a version", [0x00], "truncated at byte 0 reading version" },
        { "negative version", [0xFF, 0xFE, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF], "version -2 is negative" },
        { "no topic count", [0x00, 0x00, 0x00], "truncated at byte 2 reading topics" },
        { "null topics", [0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF], "topics at byte 2 is null" },
        { "negative topic count", [0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xF0], "topics at byte 2 has count -16" },
        { "count larger than the bytes", [0x00, 0x00, 0x7F, 0xFF, 0xFF, 0xFF, 0x00, 0x00], "claims 2147483647 elements but only 2 bytes follow" },
        { "topic cut short", [0x00, 0x00, 0, 0, 0, 1, 0x00, 0x05, (byte)'a', (byte)'b'], "truncated at byte 8 reading a topic name (needs 5 bytes, 2 left)" },
        { "null topic", [0x00, 0x00, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], "a topic name at byte 6 is null" },
        { "bad string length", [0x00, 0x00, 0, 0, 0, 1, 0xFF, 0xF0, 0xFF, 0xFF, 0xFF, 0xFF], "a topic name at byte 6 has length -16" },
        { "not UTF-8", [0x00, 0x00, 0, 0, 0, 1, 0x00, 0x01, 0xC3, 0xFF, 0xFF, 0xFF, 0xFF], "a topic name at byte 6 is not valid UTF-8" },
        { "no user data", [0x00, 0x00, 0, 0, 0, 0], "truncated at byte 6 reading user data" },
        { "bad user data length", [0x00, 0x00, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFE], "user data at byte 6 has length -2" },
        { "user data cut short", [0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 3, 1], "truncated at byte 10 reading user data (needs 3 bytes, 1 left)" },
        { "v1 without owned partitions", [0x00, 0x01, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF], "truncated at byte 10 reading owned partitions" },
        { "v1 owned partitions cut short", [0x00, 0x01, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1, 0, 1, (byte)'t', 0, 0, 0, 2, 0, 0, 0, 0], "claims 2 elements but only 4 bytes follow" },
        { "v2 without generation", [0x00, 0x02, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0], "truncated at byte 14 reading generation id" },
        { "v3 without rack", [0x00, 0x03, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 1], "truncated at byte 18 reading rack id" },
    };

    [Theory]
    [MemberData(nameof(MalformedSubscriptions))]
    public void AMalformedSubscriptionNamesWhatIsWrong(string because, byte[] bytes, string expected)
    {
        var error = Assert.Throws<KafkaException>(() => ConsumerProtocol.DecodeSubscription(bytes));
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, error.Code);
        Assert.Contains("ConsumerProtocolSubscription", error.Message);
        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), $"{because}: {error.Message}");
    }

    [Fact]
    public void AMalformedAssignmentNamesWhatIsWrong()
    {
        var error = Assert.Throws<KafkaException>(() => ConsumerProtocol.DecodeAssignment(_assignmentV0.AsSpan(0, 21)));
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, error.Code);
        Assert.Contains("ConsumerProtocolAssignment", error.Message);
        Assert.Contains("truncated at byte 21 reading user data (needs 4 bytes, 0 left)", error.Message);
        var lying = Assert.Throws<KafkaException>(() => ConsumerProtocol.DecodeAssignment(_assignmentV0.AsSpan(0, 17)));
        Assert.Contains("a topic's partitions at byte 9 claims 2 elements but only 4 bytes follow", lying.Message);
    }

    [Fact]
    public void EveryTruncationOfAValidPayloadIsAKafkaException()
    {
        foreach (var (bytes, decode) in new (byte[], Action<byte[]>)[]
        {
            (_subscriptionV3, b => ConsumerProtocol.DecodeSubscription(b)),
            (_subscriptionV0, b => ConsumerProtocol.DecodeSubscription(b)),
            (_assignmentV3, b => ConsumerProtocol.DecodeAssignment(b)),
        })
        {
            for (var length = 0; length < bytes.Length; length++)
            {
                var prefix = bytes[..length];
                var error = Assert.Throws<KafkaException>(() => decode(prefix));
                Assert.Equal(ErrorCode.InconsistentGroupProtocol, error.Code);
            }
        }
    }

    [Fact]
    public void CorruptedBytesDecodeOrThrowAKafkaExceptionNeverAnythingElse()
    {
        var random = new Random(848);
        for (var round = 0; round < 5000; round++)
        {
            var bytes = (byte[])(round % 2 == 0 ? _subscriptionV3 : _assignmentV3).Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }
            try
            {
                if (round % 2 == 0)
                {
                    ConsumerProtocol.DecodeSubscription(bytes);
                }
                else
                {
                    ConsumerProtocol.DecodeAssignment(bytes);
                }
            }
            catch (KafkaException e)
            {
                Assert.Equal(ErrorCode.InconsistentGroupProtocol, e.Code);
            }
        }
    }
}
