using Orlog.Grains;

namespace Orlog.Benchmarks.Groups;

/// <summary>
/// The assignment the classic leader computed last (before a cooperative leader withheld moved partitions):
/// what every member is to end up with, for the stable-assignment check.
/// </summary>
internal sealed class ClassicTarget
{
    private IReadOnlyDictionary<string, IReadOnlySet<TopicPartition>>? _latest;

    public IReadOnlyDictionary<string, IReadOnlySet<TopicPartition>>? Latest => Volatile.Read(ref _latest);

    public void Publish(IReadOnlyDictionary<string, IReadOnlySet<TopicPartition>> target) => Volatile.Write(ref _latest, target);
}
