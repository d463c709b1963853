using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers.Streams.Common;
using Orleans.Serialization;
using Orleans.Streams;

namespace Orlog.Streaming;

/// <summary>
/// One record of a partition as Orleans delivers it: the stream, the record's offset (the sequence token: an
/// <see cref="EventSequenceTokenV2"/> whose sequence number is the offset) and the value, decoded only when a
/// subscriber asks for its type. Immutable, so a subscriber on the agent's silo gets it without a copy.
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.streams.record")]
[SerializationCallbacks(typeof(OnDeserializedCallbacks))]
public sealed class OrlogBatchContainer : IBatchContainer, IOnDeserialized
{
    [NonSerialized]
    private EventCodec? _codec;

    internal OrlogBatchContainer(StreamId streamId, long offset, long timestamp, EventFormat? format, byte[]? value, byte[]? requestContext, EventCodec codec)
    {
        StreamId = streamId;
        Offset = offset;
        Timestamp = timestamp;
        Format = format;
        Value = value;
        RequestContext = requestContext;
        ProviderFormat = codec.Format;
        _codec = codec;
    }

    [Id(0)]
    public StreamId StreamId { get; }

    /// <summary>The record's offset in its partition.</summary>
    [Id(1)]
    public long Offset { get; }

    /// <summary>The record's timestamp (ms since the Unix epoch).</summary>
    [Id(2)]
    public long Timestamp { get; }

    /// <summary>The format the record says it is in; null for the provider's.</summary>
    [Id(3)]
    public EventFormat? Format { get; }

    [Id(4)]
    public byte[]? Value { get; }

    [Id(5)]
    internal byte[]? RequestContext { get; }

    /// <summary>The provider's format, for a record that does not say.</summary>
    [Id(6)]
    internal EventFormat ProviderFormat { get; }

    public StreamSequenceToken SequenceToken => new EventSequenceTokenV2(Offset);

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        if (Codec.TryDecode<T>(Value, Format, out var item))
        {
            yield return Tuple.Create(item, (StreamSequenceToken)new EventSequenceTokenV2(Offset));
        }
    }

    public bool ImportRequestContext()
    {
        if (Codec.DecodeContext(RequestContext) is not { } context)
        {
            return false;
        }
        RequestContextExtensions.Import(context);
        return true;
    }

    void IOnDeserialized.OnDeserialized(DeserializationContext context) =>
        _codec = new EventCodec(context.ServiceProvider.GetRequiredService<Serializer>(), ProviderFormat);

    private EventCodec Codec => _codec ?? throw new InvalidOperationException("The record's codec is missing: it was neither made by the receiver nor deserialized.");

    public override string ToString() => $"{StreamId} at offset {Offset}";
}
