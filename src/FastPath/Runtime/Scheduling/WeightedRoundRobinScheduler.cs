using System;

namespace FastPath.Runtime.Scheduling;

/// <summary>
/// wrr (ip_vs_wrr.c): interleaved weighted round robin. Weights 4, 3, 2 give A A B A B C A B C: each pass over the
/// list takes the destinations whose weight reaches the current weight, which steps down by the weights' gcd.
/// </summary>
public sealed class WeightedRoundRobinScheduler : Scheduler
{
    private readonly object _gate = new();
    private readonly int _di, _mw;
    private int _cursor = -1, _cw;

    public WeightedRoundRobinScheduler(ReadOnlySpan<int> weights) : base(weights)
    {
        int gcd = 0, max = 0;
        foreach (var w in Weights) if (w > 0) { gcd = Gcd(gcd, w); max = Math.Max(max, w); }
        _di = gcd == 0 ? 1 : gcd;
        _mw = max == 0 ? 0 : max - (_di - 1);
        _cw = _mw;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    public override int Pick(UInt128 client)
    {
        if (_mw == 0) return -1;
        lock (_gate)
        {
            // Bounded: at most mw/di passes over the list before a destination must qualify.
            for (int guard = (_mw / _di + 2) * (Weights.Length + 1); guard > 0; guard--)
            {
                _cursor++;
                if (_cursor >= Weights.Length)
                {
                    _cursor = -1;
                    _cw -= _di;
                    if (_cw <= 0) _cw = _mw;
                    continue;
                }
                if (Weights[_cursor] >= _cw) return _cursor;
            }
            return -1;
        }
    }
}
