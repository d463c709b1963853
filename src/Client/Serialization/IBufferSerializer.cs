using System.Buffers;

namespace Orlog.Client;

/// <summary>
/// The producer's allocation-free path for the built-in serializers: write into the producer's scratch buffer
/// instead of returning a new array.
/// </summary>
internal interface IBufferSerializer<in T>
{
    /// <summary>Writes <paramref name="data"/> to <paramref name="output"/>; false (nothing written) for null.</summary>
    bool Serialize(T data, IBufferWriter<byte> output, SerializationContext context);
}
