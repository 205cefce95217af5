using System;
using System.Collections.Generic;

namespace FastPath.Model.Tables;

/// <summary>
/// A minimal-probe perfect hash built at build time (CHD, "hash, displace and compress"): keys fall into buckets,
/// and each bucket, largest first, gets the smallest displacement that sends all its keys to free slots. At run
/// time a lookup is one hash, one displacement read, one slot read and one compare.
/// </summary>
public sealed class PerfectHash
{
    private PerfectHash(uint[] displacements, int[] slots)
    {
        Displacements = displacements;
        Slots = slots;
    }

    /// <summary>Per bucket; the bucket count is a power of two.</summary>
    public uint[] Displacements { get; }
    /// <summary>Per slot: the key's index + 1, or 0 when empty; the slot count is a power of two.</summary>
    public int[] Slots { get; }

    public static PerfectHash Build(IReadOnlyList<ulong> hashes)
    {
        int n = hashes.Count;
        int slots = (int)Pow2(Math.Max(2, (long)Math.Ceiling(n * 1.3)));
        int buckets = (int)Pow2(Math.Max(1, n / 4));
        // Keys by bucket in one array (a counting sort, keys in index order within a bucket) instead of a list per
        // bucket: at 274,000 names that was 131,072 lists and their growth.
        var bucketOf = new int[n];
        var start = new int[buckets + 1];
        for (int i = 0; i < n; i++) start[(bucketOf[i] = NameHash.Bucket(hashes[i], buckets - 1)) + 1]++;
        for (int b = 0; b < buckets; b++) start[b + 1] += start[b];
        var members = new int[n];
        var fill = new int[buckets];
        for (int i = 0; i < n; i++) { int b = bucketOf[i]; members[start[b] + fill[b]++] = i; }
        // Largest bucket first, ties by bucket number: sort by (-size, bucket) packed in one key.
        var order = new long[buckets];
        for (int b = 0; b < buckets; b++) order[b] = ((long)(n - (start[b + 1] - start[b])) << 32) | (uint)b;
        Array.Sort(order);
        var table = new int[slots];
        var disp = new uint[buckets];
        var taken = new int[Math.Max(1, MaxBucket(start))];
        foreach (var packed in order)
        {
            int b = (int)(packed & 0xFFFFFFFF), first = start[b], count = start[b + 1] - first;
            if (count == 0) break; // the rest are empty
            for (uint d = 0; ; d++)
            {
                if (d == 50_000_000) throw new InvalidOperationException("two names hash alike in every displacement: cannot build the perfect hash (a FastPath bug; please report the names)");
                bool ok = true;
                for (int k = 0; k < count && ok; k++)
                {
                    int s = NameHash.Slot(hashes[members[first + k]], d, slots - 1);
                    if (table[s] != 0 || Array.IndexOf(taken, s, 0, k) >= 0) ok = false;
                    else taken[k] = s;
                }
                if (!ok) continue;
                for (int k = 0; k < count; k++) table[taken[k]] = members[first + k] + 1;
                disp[b] = d;
                break;
            }
        }
        return new PerfectHash(disp, table);
    }

    private static int MaxBucket(int[] start)
    {
        int max = 0;
        for (int b = 0; b + 1 < start.Length; b++) max = Math.Max(max, start[b + 1] - start[b]);
        return max;
    }

    private static long Pow2(long v)
    {
        long p = 1;
        while (p < v) p <<= 1;
        return p;
    }
}
