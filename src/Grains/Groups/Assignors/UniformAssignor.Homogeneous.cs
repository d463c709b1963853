namespace Orlog.Grains.Groups.Assignors;

internal sealed partial class UniformAssignor
{
    /// <summary>
    /// Every member subscribes to every partition. Quotas: all get <c>P / N</c>, and <c>P % N</c> of
    /// them one more. The extra slots go first to members that own more than the base quota, which is
    /// what makes the partitions kept the most possible: each member keeps min(owned, its quota).
    /// </summary>
    private static void AssignHomogeneous(AssignmentSpec spec, int[] owner)
    {
        var memberCount = spec.Members.Length;
        var minQuota = spec.PartitionCount / memberCount;
        var extrasLeft = spec.PartitionCount % memberCount;
        var load = new int[memberCount];
        var hasExtra = new bool[memberCount];
        var leftovers = new List<int>?[memberCount];

        // Keep up to the base quota. A partition two members claim goes to the first in member order.
        for (var i = 0; i < memberCount; i++)
        {
            var current = spec.ValidCurrent(i);
            var k = 0;
            for (; k < current.Count && load[i] < minQuota; k++)
            {
                if (owner[current[k]] < 0)
                {
                    owner[current[k]] = i;
                    load[i]++;
                }
            }
            if (k < current.Count)
            {
                current.RemoveRange(0, k);
                leftovers[i] = current;
            }
        }

        // A member that owned more than the base quota keeps one more while extra slots remain.
        for (var i = 0; i < memberCount && extrasLeft > 0; i++)
        {
            if (leftovers[i] is not { } rest || load[i] < minQuota)
            {
                continue;
            }
            foreach (var g in rest)
            {
                if (owner[g] < 0)
                {
                    owner[g] = i;
                    load[i]++;
                    hasExtra[i] = true;
                    extrasLeft--;
                    break;
                }
            }
        }

        // Everything else moves: fill members up to the base quota, then hand out the remaining extras.
        var next = 0;
        for (var i = 0; i < memberCount; i++)
        {
            while (load[i] < minQuota)
            {
                next = NextUnowned(owner, next);
                owner[next] = i;
                load[i]++;
            }
        }
        for (var i = 0; i < memberCount && extrasLeft > 0; i++)
        {
            if (!hasExtra[i])
            {
                next = NextUnowned(owner, next);
                owner[next] = i;
                extrasLeft--;
            }
        }
    }

    private static int NextUnowned(int[] owner, int from)
    {
        while (owner[from] >= 0)
        {
            from++;
        }
        return from;
    }
}
