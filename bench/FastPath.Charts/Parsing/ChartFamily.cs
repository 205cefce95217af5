using System.Collections.Generic;

namespace FastPath.Charts.Parsing;

/// <summary>
/// Which series one chart draws. A selector names a benchmark class and, optionally, a method (as the CSV shows it)
/// and a variant (<c>Name=ClusterIP</c>); <see cref="SeriesSelector.Label"/> replaces the method in the legend.
/// </summary>
internal sealed record ChartFamily(string File, string Title, IReadOnlyList<SeriesSelector> Selectors);

internal sealed record SeriesSelector(string Class, string? Method = null, string? Variant = null, string? Label = null)
{
    public bool Matches(CostSeries s) =>
        s.Class == Class && (Method is null || s.Method == Method) && (Variant is null || s.Variant == Variant);
}

/// <summary>A chart's lines, Y already in <see cref="Unit"/>.</summary>
internal sealed record ChartData(ChartFamily Family, TimeUnit Unit, IReadOnlyList<ChartLine> Lines);

internal sealed record ChartLine(string Label, double[] Sizes, double[] Values);

internal static class ChartDataBuilder
{
    /// <summary>The family's lines in selector order, then CSV order; null when nothing matched (not run).</summary>
    public static ChartData? For(ChartFamily family, IReadOnlyList<CostSeries> series)
    {
        var picked = new List<(SeriesSelector Selector, CostSeries Series)>();
        foreach (var selector in family.Selectors)
            foreach (var s in series)
                if (selector.Matches(s)) picked.Add((selector, s));
        if (picked.Count == 0) return null;

        var all = new List<double>();
        foreach (var (_, s) in picked)
            foreach (var p in s.Points) all.Add(p.Nanoseconds);
        var unit = TimeUnit.For(all);

        var lines = new List<ChartLine>(picked.Count);
        foreach (var (selector, s) in picked)
        {
            var xs = new double[s.Points.Count];
            var ys = new double[s.Points.Count];
            for (int i = 0; i < xs.Length; i++) (xs[i], ys[i]) = (s.Points[i].Size, unit.From(s.Points[i].Nanoseconds));
            string label = selector.Label ?? s.Method;
            if (selector.Variant is null && s.Variant.Length > 0) label += " (" + s.Variant + ")";
            lines.Add(new ChartLine(label, xs, ys));
        }
        return new ChartData(family, unit, lines);
    }
}
