using System;
using System.Collections.Generic;
using System.Linq;

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
        var byBucket = new List<int>[buckets];
        for (int i = 0; i < buckets; i++) byBucket[i] = new List<int>();
        for (int i = 0; i < n; i++) byBucket[NameHash.Bucket(hashes[i], buckets - 1)].Add(i);
        var table = new int[slots];
        var disp = new uint[buckets];
        var taken = new List<int>();
        foreach (var b in Enumerable.Range(0, buckets).OrderByDescending(b => byBucket[b].Count).ThenBy(b => b))
        {
            var keys = byBucket[b];
            if (keys.Count == 0) continue;
            for (uint d = 0; ; d++)
            {
                if (d == 50_000_000) throw new InvalidOperationException("two names hash alike in every displacement: cannot build the perfect hash (a FastPath bug; please report the names)");
                taken.Clear();
                bool ok = true;
                foreach (var k in keys)
                {
                    int s = NameHash.Slot(hashes[k], d, slots - 1);
                    if (table[s] != 0 || taken.Contains(s)) { ok = false; break; }
                    taken.Add(s);
                }
                if (!ok) continue;
                for (int i = 0; i < keys.Count; i++) table[taken[i]] = keys[i] + 1;
                disp[b] = d;
                break;
            }
        }
        return new PerfectHash(disp, table);
    }

    private static long Pow2(long v)
    {
        long p = 1;
        while (p < v) p <<= 1;
        return p;
    }
}
