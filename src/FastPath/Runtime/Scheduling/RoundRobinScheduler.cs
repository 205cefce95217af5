using System;
using System.Threading;

namespace FastPath.Runtime.Scheduling;

/// <summary>rr (ip_vs_rr.c): the next destination with a weight above 0, from a lock-free cursor.</summary>
public sealed class RoundRobinScheduler(ReadOnlySpan<int> weights) : Scheduler(weights)
{
    private long _cursor = -1;

    public override void TakeOver(Scheduler old, System.Collections.Generic.IReadOnlyList<string> oldKeys, System.Collections.Generic.IReadOnlyList<string> newKeys) =>
        _cursor = Interlocked.Read(ref ((RoundRobinScheduler)old)._cursor);

    public override int Pick(UInt128 client)
    {
        int n = Weights.Length;
        if (n == 0) return -1;
        long start = Interlocked.Increment(ref _cursor);
        for (int i = 0; i < n; i++)
        {
            int idx = (int)((ulong)(start + i) % (ulong)n);
            if (Weights[idx] > 0)
            {
                if (i > 0) Interlocked.Add(ref _cursor, i); // skip the quiesced ones for the next pick too
                return idx;
            }
        }
        return -1;
    }
}
