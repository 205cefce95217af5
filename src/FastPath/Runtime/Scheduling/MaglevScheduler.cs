using System;
using System.Collections.Generic;
using System.Text;
using FastPath.Model.Tables;

namespace FastPath.Runtime.Scheduling;

/// <summary>
/// mh (ip_vs_mh.c): Maglev hashing over a prime table of 4093 slots (IPVS's default). Each destination walks its own
/// permutation (offset, skip) of the table, taking turns by weight until every slot is owned; the client address
/// picks the slot. Losing one of N destinations remaps only about 1/N of clients. IPVS hashes with hsiphash and
/// fixed keys; FastPath uses its own fixed 64-bit hash, so slot owners differ from a kernel's, the properties do not.
/// </summary>
public sealed class MaglevScheduler : Scheduler
{
    public const int TableSize = 4093;
    private readonly int[] _table = new int[TableSize];

    public MaglevScheduler(ReadOnlySpan<int> weights, IReadOnlyList<string> keys) : base(weights)
    {
        if (keys.Count != Weights.Length) throw new ArgumentException("one key per destination", nameof(keys));
        Array.Fill(_table, -1);
        var offset = new int[Weights.Length];
        var skip = new int[Weights.Length];
        var next = new int[Weights.Length];
        int gcd = 0, max = 0;
        for (int i = 0; i < Weights.Length; i++)
        {
            ulong h = HashKey(keys[i]);
            offset[i] = (int)(SplitMix64.Mix(h ^ 0x6d68_6f66_6673_6574UL) % TableSize);
            skip[i] = (int)(SplitMix64.Mix(h ^ 0x6d68_736b_6970_0000UL) % (TableSize - 1)) + 1;
            if (Weights[i] > 0) { gcd = Gcd(gcd, Weights[i]); max = Math.Max(max, Weights[i]); }
        }
        if (max == 0) return;
        // turns = weight/gcd, scaled down so the largest is below 64 (rshift in ip_vs_mh_populate).
        int rshift = Math.Max(0, Fls(max / gcd) - 6);
        int filled = 0;
        while (filled < TableSize)
        {
            for (int i = 0; i < Weights.Length && filled < TableSize; i++)
            {
                if (Weights[i] <= 0) continue;
                int turns = Math.Max(1, (Weights[i] / gcd) >> rshift);
                for (int t = 0; t < turns && filled < TableSize; t++)
                {
                    int c;
                    do { c = (int)((offset[i] + (long)next[i]++ * skip[i]) % TableSize); } while (_table[c] >= 0);
                    _table[c] = i;
                    filled++;
                }
            }
        }
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
    private static int Fls(int x) => x == 0 ? 0 : 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)x);

    private static ulong HashKey(string key)
    {
        ulong h = 1469598103934665603UL;
        foreach (byte b in Encoding.UTF8.GetBytes(key)) { h ^= b; h *= 1099511628211UL; }
        return SplitMix64.Mix(h);
    }

    /// <summary>Without the mh-fallback flag, a quiesced owner gives no destination, as in IPVS.</summary>
    public override int Pick(UInt128 client)
    {
        int d = _table[(int)(IpKey.Hash(client) % TableSize)];
        return d >= 0 && Weights[d] > 0 ? d : -1;
    }

    public int Owner(int slot) => _table[slot];
}
