namespace Orlog.Grains.Groups.Assignors;

internal sealed partial class UniformAssignor
{
    /// <summary>
    /// Members subscribe to different topics. Every member keeps its valid current partitions, and the
    /// unowned ones go, the most constrained first, to their least-loaded subscriber. Then the load is
    /// levelled from the top down (see <see cref="Level"/>) on per-member, per-topic counts, and only the
    /// net change of each count moves partitions, so nothing moves twice.
    /// </summary>
    private static void AssignHeterogeneous(AssignmentSpec spec, int[] owner)
    {
        var load = new int[spec.Members.Length];
        var retained = new bool[owner.Length];
        for (var i = 0; i < spec.Members.Length; i++)
        {
            foreach (var g in spec.ValidCurrent(i))
            {
                if (owner[g] < 0)
                {
                    owner[g] = i;
                    load[i]++;
                    retained[g] = true;
                }
            }
        }

        var unowned = new List<int>();
        for (var g = 0; g < owner.Length; g++)
        {
            if (owner[g] < 0)
            {
                unowned.Add(g);
            }
        }
        // Partitions with the fewest possible owners first, so the flexible ones can even out the load.
        var subscribers = spec.Subscribers;
        var topicOf = spec.TopicOf;
        unowned.Sort((a, b) =>
        {
            var bySubscribers = subscribers[topicOf[a]].Length.CompareTo(subscribers[topicOf[b]].Length);
            return bySubscribers != 0 ? bySubscribers : a.CompareTo(b);
        });
        foreach (var g in unowned)
        {
            var to = subscribers[topicOf[g]][LeastLoaded(subscribers[topicOf[g]], load)];
            owner[g] = to;
            load[to]++;
        }

        // count[i][k]: how many partitions of its k-th topic (MemberTopics[i][k]) member i holds.
        var count = new int[spec.Members.Length][];
        for (var i = 0; i < count.Length; i++)
        {
            count[i] = new int[spec.MemberTopics[i].Length];
        }
        for (var g = 0; g < owner.Length; g++)
        {
            count[owner[g]][Array.BinarySearch(spec.MemberTopics[owner[g]], topicOf[g])]++;
        }
        var initial = Array.ConvertAll(count, c => (int[])c.Clone());
        Level(spec, load, count);
        Realize(spec, owner, retained, initial, count);
    }

    /// <summary>
    /// Moves counts from the most loaded members down: at each level, every member at or above it gives
    /// single partitions to the least-loaded subscriber of one of its topics while that subscriber holds
    /// at least two fewer, until it drops below the level; then the level goes down. Giving from the top
    /// first means a member rarely gives and then receives. Each move lowers the sum of squared loads, so
    /// this ends, and when it does no partition could go to a subscriber with two fewer than its owner.
    /// </summary>
    private static void Level(AssignmentSpec spec, int[] load, int[][] count)
    {
        var subscribers = spec.Subscribers;
        // slot[t][j]: where topic t sits in the topic list of its j-th subscriber.
        var slot = new int[subscribers.Length][];
        for (var t = 0; t < slot.Length; t++)
        {
            slot[t] = new int[subscribers[t].Length];
            for (var j = 0; j < slot[t].Length; j++)
            {
                slot[t][j] = Array.BinarySearch(spec.MemberTopics[subscribers[t][j]], t);
            }
        }

        // A pass at a threshold covers every member at or above it; once a pass covering every member
        // that could give (two above the least loaded) moves nothing, no improving move is left.
        var threshold = load.Max();
        while (true)
        {
            if (LevelPass(spec, load, count, slot, threshold))
            {
                continue;
            }
            var floor = load.Min() + 2;
            if (threshold <= floor)
            {
                return;
            }
            threshold = Math.Max(NextLowerLoad(load, threshold), floor);
        }
    }

    /// <summary>Every member at or above the threshold gives while it stays there and a subscriber of its topic holds two fewer.</summary>
    private static bool LevelPass(AssignmentSpec spec, int[] load, int[][] count, int[][] slot, int threshold)
    {
        var moved = false;
        for (var o = 0; o < load.Length; o++)
        {
            var topics = spec.MemberTopics[o];
            for (var k = 0; k < topics.Length && load[o] >= threshold; k++)
            {
                var candidates = spec.Subscribers[topics[k]];
                while (count[o][k] > 0 && load[o] >= threshold)
                {
                    var j = LeastLoaded(candidates, load);
                    var to = candidates[j];
                    if (load[o] <= load[to] + 1)
                    {
                        break;
                    }
                    count[o][k]--;
                    count[to][slot[topics[k]][j]]++;
                    load[o]--;
                    load[to]++;
                    moved = true;
                }
            }
        }
        return moved;
    }

    /// <summary>
    /// Makes <paramref name="owner"/> hold the counts: per topic and member, up to its new count it keeps
    /// the partitions it owned before this assignment, then those it was just given, lowest-numbered
    /// first; the rest go to members whose count grew.
    /// </summary>
    private static void Realize(AssignmentSpec spec, int[] owner, bool[] retained, int[][] initial, int[][] count)
    {
        var pool = new List<int>();
        for (var t = 0; t < spec.Topics.Length; t++)
        {
            var candidates = spec.Subscribers[t];
            var changed = false;
            var kept = new int[candidates.Length];
            var target = new int[candidates.Length];
            for (var j = 0; j < candidates.Length; j++)
            {
                var k = Array.BinarySearch(spec.MemberTopics[candidates[j]], t);
                target[j] = count[candidates[j]][k];
                changed |= target[j] != initial[candidates[j]][k];
            }
            if (!changed)
            {
                continue;
            }
            pool.Clear();
            foreach (var previouslyOwned in (ReadOnlySpan<bool>)[true, false])
            {
                for (var g = spec.Offsets[t]; g < spec.Offsets[t + 1]; g++)
                {
                    if (retained[g] != previouslyOwned)
                    {
                        continue;
                    }
                    var j = Array.BinarySearch(candidates, owner[g]);
                    if (kept[j] < target[j])
                    {
                        kept[j]++;
                    }
                    else
                    {
                        pool.Add(g);
                    }
                }
            }
            var next = 0;
            for (var j = 0; j < candidates.Length; j++)
            {
                for (; kept[j] < target[j]; kept[j]++)
                {
                    owner[pool[next++]] = candidates[j];
                }
            }
        }
    }

    /// <summary>The highest load below <paramref name="threshold"/> (or -1 when there is none).</summary>
    private static int NextLowerLoad(int[] load, int threshold)
    {
        var next = -1;
        foreach (var l in load)
        {
            if (l < threshold && l > next)
            {
                next = l;
            }
        }
        return next;
    }

    /// <summary>The position in <paramref name="candidates"/> of the least-loaded one; the first on a tie.</summary>
    private static int LeastLoaded(int[] candidates, int[] load)
    {
        var best = 0;
        for (var j = 1; j < candidates.Length; j++)
        {
            if (load[candidates[j]] < load[candidates[best]])
            {
                best = j;
            }
        }
        return best;
    }
}
