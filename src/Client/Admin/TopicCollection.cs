namespace Orlog.Client;

/// <summary>Topics named for <see cref="IAdminClient.DescribeTopicsAsync(TopicCollection, Admin.DescribeTopicsOptions?, CancellationToken)"/> (Confluent.Kafka's TopicCollection).</summary>
public sealed class TopicCollection
{
    private TopicCollection(IReadOnlyList<string> names)
    {
        Names = names;
    }

    /// <summary>The topics' names.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The topics with these names.</summary>
    public static TopicCollection OfTopicNames(IEnumerable<string> topics) => new([.. topics ?? throw new ArgumentNullException(nameof(topics))]);

    public override string ToString() => string.Join(", ", Names);
}
