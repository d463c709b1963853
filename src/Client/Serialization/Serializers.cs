using System.Buffers;
using System.Text;

namespace Orlog.Client;

/// <summary>The built-in serializers.</summary>
public static class Serializers
{
    /// <summary>Strings as UTF-8 (a null string is a null key or value).</summary>
    public static ISerializer<string?> Utf8 { get; } = new Utf8Serializer();

    /// <summary>Bytes as they are (a null array is null).</summary>
    public static ISerializer<byte[]?> ByteArray { get; } = new ByteArraySerializer();

    /// <summary>Always null.</summary>
    public static ISerializer<Null?> Null { get; } = new NullSerializer();

    private sealed class Utf8Serializer : ISerializer<string?>, IBufferSerializer<string?>
    {
        public byte[]? Serialize(string? data, SerializationContext context) => data is null ? null : Encoding.UTF8.GetBytes(data);

        public bool Serialize(string? data, IBufferWriter<byte> output, SerializationContext context)
        {
            if (data is null)
            {
                return false;
            }
            var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(data.Length));
            output.Advance(Encoding.UTF8.GetBytes(data, span));
            return true;
        }
    }

    /// <summary>The caller's array itself: the producer copies it into the batch before Produce returns, so no scratch copy is needed.</summary>
    private sealed class ByteArraySerializer : ISerializer<byte[]?>
    {
        public byte[]? Serialize(byte[]? data, SerializationContext context) => data;
    }

    private sealed class NullSerializer : ISerializer<Null?>
    {
        public byte[]? Serialize(Null? data, SerializationContext context) => null;
    }
}
