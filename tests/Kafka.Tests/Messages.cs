using System.Buffers;
using System.Reflection;
using Orlog.Kafka.Protocol;
using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Tests;

/// <summary>The generated message classes, found by reflection, and a typed round trip through them.</summary>
internal static class Messages
{
    /// <summary>Every generated request and response class.</summary>
    public static IReadOnlyList<Type> All { get; } = typeof(ApiVersionsRequest).Assembly.GetTypes()
        .Where(t => t.Namespace == typeof(ApiVersionsRequest).Namespace && !t.IsNested
            && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IKafkaMessage<>)))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToList();

    public static Type Find(string name) => All.Single(t => t.Name == name);

    public static short Constant(Type message, string name) => (short)message.GetField(name)!.GetValue(null)!;

    /// <summary>Writes <paramref name="message"/>, reads it back and returns (bytes, what was read, bytes the reader used).</summary>
    public static (byte[] Bytes, object Read, int Consumed) RoundTrip(object message, short version)
    {
        var method = typeof(Messages).GetMethod(nameof(RoundTripTyped), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(message.GetType());
        try
        {
            return ((byte[], object, int))method.Invoke(null, [message, version])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    /// <summary>Reads a message of the named class from <paramref name="bytes"/>; returns it and the bytes used.</summary>
    public static (object Message, int Consumed) Read(Type message, ReadOnlyMemory<byte> bytes, short version)
    {
        var method = typeof(Messages).GetMethod(nameof(ReadTyped), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(message);
        try
        {
            return ((object, int))method.Invoke(null, [bytes, version])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    public static byte[] Write(IKafkaWritable message, short version)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(buffer);
        message.Write(writer, version);
        Assert.Equal(buffer.WrittenCount, writer.BytesWritten);
        return buffer.WrittenSpan.ToArray();
    }

    private static (byte[], object, int) RoundTripTyped<T>(T message, short version)
        where T : IKafkaMessage<T>
    {
        var bytes = Write(message, version);
        var (read, consumed) = ReadTyped<T>(bytes, version);
        return (bytes, read, consumed);
    }

    private static (object, int) ReadTyped<T>(ReadOnlyMemory<byte> bytes, short version)
        where T : IKafkaMessage<T>
    {
        var reader = new KafkaReader(bytes);
        var read = T.Read(ref reader, version);
        return (read, reader.Position);
    }
}
