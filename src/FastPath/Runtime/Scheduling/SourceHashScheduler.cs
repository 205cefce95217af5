using System;

namespace FastPath.Runtime.Scheduling;

/// <summary>
/// sh (ip_vs_sh.c): 256 buckets filled by walking the destinations, each taking as many consecutive buckets as its
/// weight; the client address picks the bucket. A bucket whose destination is quiesced gives no destination.
/// </summary>
public sealed class SourceHashScheduler : Scheduler
{
    public const int TableSize = 256;
    private readonly int[] _buckets = new int[TableSize];

    public SourceHashScheduler(ReadOnlySpan<int> weights) : base(weights)
    {
        int n = Weights.Length, d = 0, count = 0;
        for (int i = 0; i < TableSize; i++)
        {
            if (n == 0) { _buckets[i] = -1; continue; }
            _buckets[i] = d;
            if (++count >= Weights[d]) { d = (d + 1) % n; count = 0; }
        }
    }

    public static int Bucket(UInt128 client) => (int)((IpKey.Fold(client) * 2654435761u) & (TableSize - 1));

    public override int Pick(UInt128 client)
    {
        int d = _buckets[Bucket(client)];
        return d >= 0 && Weights[d] > 0 ? d : -1;
    }
}
