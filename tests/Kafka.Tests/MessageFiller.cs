using System.Collections;
using System.Reflection;
using System.Text;
using Orlog.Kafka.Protocol;

namespace Orlog.Kafka.Tests;

/// <summary>
/// Gives every field of a generated message that a version carries a value other than its default, from the
/// message's own <c>SchemaFields</c>: numbers, strings (multi-byte UTF-8 too), bytes, UUIDs, non-empty arrays
/// and structs filled the same way. With <c>nulls</c>, a field nullable in the version is set to null instead.
/// </summary>
internal static class MessageFiller
{
    private const string Alphabet = "abcxyz-_.019 éß中€";

    public static T Filled<T>(short version, Random random, bool nulls = false)
        where T : new()
    {
        var message = new T();
        Fill(message, version, random, nulls);
        return message;
    }

    public static void Fill(object target, short version, Random random, bool nulls)
    {
        var type = target.GetType();
        foreach (var field in SchemaFields(type))
        {
            if (!field.Versions.Contains(version))
            {
                continue;
            }
            var property = type.GetProperty(field.Name)!;
            if (nulls && field.NullableVersions.Contains(version))
            {
                property.SetValue(target, null);
                continue;
            }
            property.SetValue(target, NonDefault(property.PropertyType, property.GetValue(target), version, random, nulls));
        }
    }

    public static IReadOnlyList<KafkaFieldInfo> SchemaFields(Type type) =>
        (IReadOnlyList<KafkaFieldInfo>)type.GetProperty("SchemaFields", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    private static object NonDefault(Type type, object? current, short version, Random random, bool nulls)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var value = Any(type, version, random, nulls);
            if (!Equals(value, current) && !(value is ReadOnlyMemory<byte> m && current is ReadOnlyMemory<byte> c && m.Span.SequenceEqual(c.Span)))
            {
                return value;
            }
        }
        throw new InvalidOperationException($"No value of {type} other than {current}.");
    }

    private static object Any(Type type, short version, Random random, bool nulls)
    {
        if (type == typeof(bool)) return random.Next(2) == 1;
        if (type == typeof(sbyte)) return (sbyte)random.Next(sbyte.MinValue, sbyte.MaxValue + 1);
        if (type == typeof(short)) return (short)random.Next(short.MinValue, short.MaxValue + 1);
        if (type == typeof(ushort)) return (ushort)random.Next(ushort.MaxValue + 1);
        if (type == typeof(int)) return random.Next(int.MinValue, int.MaxValue);
        if (type == typeof(long)) return random.NextInt64(long.MinValue, long.MaxValue);
        if (type == typeof(double)) return (random.NextDouble() - 0.5) * 1e6;
        if (type == typeof(Guid)) return new Guid(RandomBytes(random, 16, 16));
        if (type == typeof(string)) return RandomString(random);
        if (type == typeof(ReadOnlyMemory<byte>)) return new ReadOnlyMemory<byte>(RandomBytes(random, 1, 40));
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            var element = type.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(type)!;
            var count = random.Next(1, 4);
            for (var i = 0; i < count; i++)
            {
                list.Add(Any(element, version, random, nulls));
            }
            return list;
        }
        if (type.GetInterfaces().Contains(typeof(IKafkaWritable)))
        {
            var instance = Activator.CreateInstance(type)!;
            Fill(instance, version, random, nulls);
            return instance;
        }
        throw new NotSupportedException($"No filler for {type}.");
    }

    private static byte[] RandomBytes(Random random, int min, int max)
    {
        var bytes = new byte[random.Next(min, max + 1)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string RandomString(Random random)
    {
        var text = new StringBuilder();
        var length = random.Next(1, 12);
        for (var i = 0; i < length; i++)
        {
            text.Append(Alphabet[random.Next(Alphabet.Length)]);
        }
        return text.ToString();
    }
}
