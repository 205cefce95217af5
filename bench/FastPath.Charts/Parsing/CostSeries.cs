using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace FastPath.Charts.Parsing;

/// <summary>A measured point: cluster size and time per operation.</summary>
internal readonly record struct CostPoint(double Size, double Nanoseconds);

/// <summary>
/// One line of a chart: a benchmark class's method at every size it ran. <see cref="Variant"/> holds the other
/// parameters (<c>Name=ClusterIP</c>), so each of their values is its own line.
/// </summary>
internal sealed record CostSeries(string Class, string Method, string Variant, IReadOnlyList<CostPoint> Points);

internal static class CostSeriesBuilder
{
    /// <summary>
    /// Groups rows by class, method and the other parameters; X is <paramref name="sizeColumn"/>, Y the Median, or the
    /// Mean where BenchmarkDotNet left the Median out (it does when the two agree). Rows without the size column or a
    /// time are skipped; a later row for the same point replaces an earlier one, so a re-run directory given last wins.
    /// The other parameters are the columns between the size column and Mean, where BenchmarkDotNet puts [Params].
    /// </summary>
    public static IReadOnlyList<CostSeries> Group(IEnumerable<BenchmarkRow> rows, string sizeColumn)
    {
        var order = new List<(string Class, string Method, string Variant)>();
        var points = new Dictionary<(string, string, string), SortedDictionary<double, double>>();
        foreach (var row in rows)
        {
            int size = row.IndexOf(sizeColumn), mean = row.IndexOf("Mean");
            if (size < 0 || mean < 0) continue;
            if (!double.TryParse(row.Cells[size], NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out double x))
                continue;
            if (!Duration.TryParseNanoseconds(row["Median"], out double y) && !Duration.TryParseNanoseconds(row.Cells[mean], out y))
                continue;
            var key = (row.Class, row.Method, Variant(row, size + 1, mean));
            if (!points.TryGetValue(key, out var line))
            {
                points[key] = line = new SortedDictionary<double, double>();
                order.Add(key);
            }
            line[x] = y;
        }
        var series = new List<CostSeries>(order.Count);
        foreach (var key in order)
        {
            var line = new List<CostPoint>();
            foreach (var p in points[key]) line.Add(new CostPoint(p.Key, p.Value));
            series.Add(new CostSeries(key.Class, key.Method, key.Variant, line));
        }
        return series;
    }

    private static string Variant(BenchmarkRow row, int from, int to)
    {
        var sb = new StringBuilder();
        for (int i = Math.Max(from, 0); i < to; i++)
        {
            if (sb.Length > 0) sb.Append(", ");
            sb.Append(row.Headers[i]).Append('=').Append(row.Cells[i]);
        }
        return sb.ToString();
    }
}
