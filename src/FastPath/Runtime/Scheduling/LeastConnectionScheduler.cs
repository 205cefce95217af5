using System;
using System.Threading;

namespace FastPath.Runtime.Scheduling;

/// <summary>
/// lc (ip_vs_lc.c): the destination with the lowest cost, active × 256 + inactive, earliest on ties; weight 0 skipped.
/// FastPath counts connections as open (active) until closed; it has no inactive state.
/// </summary>
public sealed class LeastConnectionScheduler(ReadOnlySpan<int> weights) : Scheduler(weights)
{
    private readonly int[] _active = new int[weights.Length];

    public override int Pick(UInt128 client)
    {
        int best = -1;
        long bestCost = long.MaxValue;
        for (int i = 0; i < Weights.Length; i++)
        {
            if (Weights[i] <= 0) continue;
            long cost = (long)Volatile.Read(ref _active[i]) << 8;
            if (cost < bestCost) { bestCost = cost; best = i; }
        }
        return best;
    }

    public override void TakeOver(Scheduler old, System.Collections.Generic.IReadOnlyList<string> oldKeys, System.Collections.Generic.IReadOnlyList<string> newKeys)
    {
        var previous = (LeastConnectionScheduler)old;
        for (int i = 0; i < newKeys.Count; i++)
        {
            int at = -1;
            for (int k = 0; k < oldKeys.Count && at < 0; k++) if (oldKeys[k] == newKeys[i]) at = k;
            if (at >= 0) _active[i] = previous.Active(at);
        }
    }

    public override void Opened(int index) => Interlocked.Increment(ref _active[index]);
    public override void Closed(int index) { if (Interlocked.Decrement(ref _active[index]) < 0) Interlocked.Exchange(ref _active[index], 0); }

    public int Active(int index) => Volatile.Read(ref _active[index]);
}
