using Orlog.Kafka.Protocol;
using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Tests;

/// <summary>
/// Kafka's rules for writing a message in a version that lacks some of its fields: a default is dropped, an
/// ignorable field is dropped, anything else fails rather than lose what the caller set.
/// </summary>
public sealed class WriteVersionRulesTests
{
    [Fact]
    public void ANonIgnorableFieldSetInAVersionWithoutItFails()
    {
        // AllowAutoTopicCreation arrived in v4 and is not ignorable: false (not its default true) cannot go in v3.
        var request = new MetadataRequest { AllowAutoTopicCreation = false };
        var error = Assert.Throws<KafkaUnsupportedVersionException>(() => Messages.Write(request, 3));
        Assert.Contains("MetadataRequest.AllowAutoTopicCreation", error.Message);
        Assert.Equal(Orlog.Client.ErrorCode.UnsupportedVersion, error.Code);
    }

    [Fact]
    public void ANonIgnorableFieldAtItsDefaultIsDropped()
    {
        Assert.Equal("00000000", Hex.Of(Messages.Write(new MetadataRequest(), 3)));
    }

    [Fact]
    public void AnIgnorableFieldIsDroppedSilently()
    {
        // ClusterId came with v2 and is ignorable.
        var response = new MetadataResponse { ClusterId = "c1", ThrottleTimeMs = 5 };
        var (_, read, _) = Messages.RoundTrip(response, 1);
        Assert.Null(((MetadataResponse)read).ClusterId);
        Assert.Equal(0, ((MetadataResponse)read).ThrottleTimeMs);
    }

    [Fact]
    public void AFieldThatLeftTheProtocolCannotBeWrittenAfter()
    {
        // ClusterAuthorizedOperations is in v8-10 only.
        var response = new MetadataResponse { ClusterAuthorizedOperations = 7 };
        Messages.Write(response, 10);
        Assert.Throws<KafkaUnsupportedVersionException>(() => Messages.Write(response, 11));
    }

    [Fact]
    public void NullWhereTheVersionCannotCarryItFails()
    {
        Assert.Throws<KafkaUnsupportedVersionException>(() => Messages.Write(new MetadataRequest { Topics = null }, 0));
        var topic = new MetadataRequest { Topics = [new() { Name = null }] };
        Messages.Write(topic, 10);
        Assert.Throws<KafkaUnsupportedVersionException>(() => Messages.Write(topic, 9));
    }

    [Fact]
    public void AVersionOutsideTheApiCannotBeReadOrWritten()
    {
        Assert.Throws<KafkaUnsupportedVersionException>(() => Messages.Write(new MetadataRequest(), 13));
        Assert.Throws<KafkaUnsupportedVersionException>(() => Messages.Read(typeof(MetadataRequest), Array.Empty<byte>(), -1));
    }

    [Fact]
    public void ATaggedFieldAtItsDefaultIsNotWritten()
    {
        // ApiVersions v3 response with nothing set: ErrorCode, an empty compact array, ThrottleTimeMs, no tags.
        Assert.Equal("0000" + "01" + "00000000" + "00", Hex.Of(Messages.Write(new ApiVersionsResponse(), 3)));
    }

    [Fact]
    public void TaggedFieldsVanishInVersionsBeforeTheirTags()
    {
        // Ignorable tagged fields, written in v2 (not flexible): dropped.
        var response = new ApiVersionsResponse { ZkMigrationReady = true, FinalizedFeaturesEpoch = 3 };
        Assert.Equal("0000" + "00000000" + "00000000", Hex.Of(Messages.Write(response, 2)));
    }

    [Fact]
    public void RecordsAreReadAsASliceOfTheFrame()
    {
        // Not from a schema of ours with records yet: the reader's bytes slice is what the produce path relies on.
        var frame = Hex.Bytes("00000003 aabbcc");
        var reader = new KafkaReader(frame);
        var bytes = reader.ReadBytes(compact: false, "Records");
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out var segment));
        Assert.Same(frame, segment.Array);
        Assert.Equal(4, segment.Offset);
    }
}
