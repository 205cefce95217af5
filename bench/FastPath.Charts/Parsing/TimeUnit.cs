using System;
using System.Collections.Generic;

namespace FastPath.Charts.Parsing;

/// <summary>The one time unit a chart's Y axis is drawn in.</summary>
internal sealed record TimeUnit(string Symbol, double Nanoseconds)
{
    public static readonly TimeUnit Ns = new("ns", 1), Us = new("μs", 1e3), Ms = new("ms", 1e6), S = new("s", 1e9);
    private static readonly TimeUnit[] Largest = [S, Ms, Us, Ns];

    /// <summary>The largest unit in which the smallest time is still ≥ 1, so no axis label needs a leading 0.</summary>
    public static TimeUnit For(IEnumerable<double> nanoseconds)
    {
        double min = double.PositiveInfinity;
        foreach (double ns in nanoseconds) min = Math.Min(min, ns);
        foreach (var unit in Largest)
            if (min >= unit.Nanoseconds) return unit;
        return Ns;
    }

    public double From(double nanoseconds) => nanoseconds / Nanoseconds;
}
