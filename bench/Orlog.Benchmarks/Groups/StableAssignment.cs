using System.Diagnostics;
using Orlog.Grains;

namespace Orlog.Benchmarks.Groups;

/// <summary>
/// Waits for a stable assignment: exactly the expected members are in the group, between them they hold every
/// partition of the topic once, each holds its target (the coordinator's, and for a classic group also the
/// leader's full assignment), and the group's Describe() shows Stable with what the members hold. The members'
/// holdings are checked on every change; Describe is asked once they look right, and again every
/// millisecond or two until it agrees (a server-side member whose partitions did not change still has to
/// heartbeat once to move to the new epoch).
/// </summary>
internal static class StableAssignment
{
    private static readonly TimeSpan _describePoll = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan _idlePoll = TimeSpan.FromMilliseconds(50);

    /// <summary>Returns the description that showed it stable; throws if a member failed or the deadline passed.</summary>
    public static async Task<GroupDescription> WaitAsync(IConsumerGroupGrain group, IReadOnlyList<IPlayedMember> expected, int partitions, ChangeSignal changed,
        ClassicTarget? classicTarget, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        GroupDescription? last = null;
        while (true)
        {
            var next = changed.Next;
            foreach (var member in expected)
            {
                if (member.Failure is { } failure)
                {
                    throw new InvalidOperationException($"A member failed: {failure.Message}", failure);
                }
            }
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"No stable assignment within {timeout.TotalSeconds:F0} s. Members: {Holdings(expected)}; the group: {Summary(last)}");
            }
            if (!HoldingsLookStable(expected, partitions, classicTarget))
            {
                await Task.WhenAny(next, Task.Delay(_idlePoll));
                continue;
            }
            last = await group.Describe();
            if (Agrees(last, expected))
            {
                return last;
            }
            await Task.WhenAny(next, Task.Delay(_describePoll));
        }
    }

    private static bool HoldingsLookStable(IReadOnlyList<IPlayedMember> expected, int partitions, ClassicTarget? classicTarget)
    {
        var target = classicTarget?.Latest;
        if (classicTarget is not null && (target is null || target.Count != expected.Count))
        {
            return false;
        }
        var seen = new HashSet<TopicPartition>();
        var held = 0;
        foreach (var member in expected)
        {
            if (member.MemberId.Length == 0)
            {
                return false;
            }
            var owned = member.Owned;
            if (target is not null && (!target.TryGetValue(member.MemberId, out var mine) || !mine.SetEquals(owned)))
            {
                return false;
            }
            seen.UnionWith(owned);
            held += owned.Count;
        }
        return held == partitions && seen.Count == partitions;
    }

    private static bool Agrees(GroupDescription description, IReadOnlyList<IPlayedMember> expected)
    {
        if (description.State != GroupStates.Stable || description.Members.Count != expected.Count)
        {
            return false;
        }
        foreach (var member in description.Members)
        {
            var player = expected.FirstOrDefault(m => m.MemberId == member.MemberId);
            if (player is null || !player.Owned.SetEquals(member.Assignment) || !player.Owned.SetEquals(member.TargetAssignment))
            {
                return false;
            }
        }
        return true;
    }

    private static string Holdings(IReadOnlyList<IPlayedMember> members) =>
        string.Join("; ", members.Select(m => $"{(m.MemberId.Length == 0 ? "(no id yet)" : m.MemberId[..Math.Min(8, m.MemberId.Length)])}: {m.Owned.Count}"));

    private static string Summary(GroupDescription? description) =>
        description is null ? "not described yet" : $"{description.State}, epoch {description.Epoch}, members {string.Join(", ", description.Members.Select(m => $"{m.Assignment.Count}/{m.TargetAssignment.Count}"))}";
}
