namespace Orlog.Grains.Groups.Assignors;

/// <summary>The server-side assignors a consumer group may use, by name.</summary>
public static class PartitionAssignors
{
    /// <summary>The assignor of a group whose members ask for none (Kafka's default too).</summary>
    public const string DefaultName = UniformAssignor.AssignorName;

    /// <summary>Sticky and balanced.</summary>
    public static IPartitionAssignor Uniform { get; } = new UniformAssignor();

    /// <summary>Contiguous ranges per topic, co-partitioned across topics.</summary>
    public static IPartitionAssignor Range { get; } = new RangeAssignor();

    /// <summary>Every assignor's name, the default first.</summary>
    public static IReadOnlyList<string> Names { get; } = [Uniform.Name, Range.Name];

    /// <summary>The assignor called <paramref name="name"/> (exact, as Kafka compares them), or null for an unknown name.</summary>
    public static IPartitionAssignor? Find(string name) => name switch
    {
        UniformAssignor.AssignorName => Uniform,
        RangeAssignor.AssignorName => Range,
        _ => null,
    };
}
