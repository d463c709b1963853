using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orlog.Client;

/// <summary>
/// A partition number, as Confluent.Kafka's Partition: it converts to and from an int, compares with another, and
/// <see cref="Any"/> (-1) means "the partitioner chooses".
/// </summary>
[JsonConverter(typeof(PartitionJsonConverter))]
public readonly struct Partition : IEquatable<Partition>, IComparable<Partition>
{
    /// <summary>No partition in particular: the partitioner chooses.</summary>
    public static readonly Partition Any = new(-1);

    public Partition(int partition) => Value = partition;

    /// <summary>The partition's number (-1 for <see cref="Any"/>).</summary>
    public int Value { get; }

    /// <summary>True for <see cref="Any"/>.</summary>
    public bool IsSpecial => Value == Any.Value;

    public static implicit operator Partition(int value) => new(value);

    public static implicit operator int(Partition partition) => partition.Value;

    public static bool operator ==(Partition a, Partition b) => a.Value == b.Value;

    public static bool operator !=(Partition a, Partition b) => a.Value != b.Value;

    public static bool operator <(Partition a, Partition b) => a.Value < b.Value;

    public static bool operator >(Partition a, Partition b) => a.Value > b.Value;

    public static bool operator <=(Partition a, Partition b) => a.Value <= b.Value;

    public static bool operator >=(Partition a, Partition b) => a.Value >= b.Value;

    public bool Equals(Partition other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is Partition other && Equals(other);

    public override int GetHashCode() => Value;

    public int CompareTo(Partition other) => Value.CompareTo(other.Value);

    public override string ToString() => IsSpecial ? "[any]" : Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A partition in JSON is its number, as it was when partitions were ints.</summary>
internal sealed class PartitionJsonConverter : JsonConverter<Partition>
{
    public override Partition Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetInt32());

    public override void Write(Utf8JsonWriter writer, Partition value, JsonSerializerOptions options) => writer.WriteNumberValue(value.Value);
}
