using System.Collections;
using Orlog.Kafka.Protocol;

namespace Orlog.Kafka.Tests;

/// <summary>Field-by-field equality of generated messages, naming the first field that differs.</summary>
internal static class MessageAssert
{
    public static void Equal(object expected, object actual) => Compare(expected, actual, expected.GetType().Name);

    private static void Compare(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {Show(expected)}, read {Show(actual)}");
            return;
        }
        if (expected is ReadOnlyMemory<byte> bytes)
        {
            Assert.True(actual is ReadOnlyMemory<byte> other && bytes.Span.SequenceEqual(other.Span),
                $"{path}: expected {Convert.ToHexString(bytes.Span)}, read {Show(actual)}");
            return;
        }
        if (expected is IList list)
        {
            var other = (IList)actual;
            Assert.True(list.Count == other.Count, $"{path}: expected {list.Count} elements, read {other.Count}");
            for (var i = 0; i < list.Count; i++)
            {
                Compare(list[i], other[i], $"{path}[{i}]");
            }
            return;
        }
        if (expected is IKafkaWritable)
        {
            Assert.Equal(expected.GetType(), actual.GetType());
            foreach (var field in MessageFiller.SchemaFields(expected.GetType()))
            {
                var property = expected.GetType().GetProperty(field.Name)!;
                Compare(property.GetValue(expected), property.GetValue(actual), path + "." + field.Name);
            }
            return;
        }
        Assert.True(expected.Equals(actual), $"{path}: expected {Show(expected)}, read {Show(actual)}");
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        ReadOnlyMemory<byte> bytes => Convert.ToHexString(bytes.Span),
        _ => value.ToString() ?? "",
    };
}
