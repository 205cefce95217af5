using System;
using System.Globalization;
using System.IO;
using FastPath.Charts.Parsing;
using ScottPlot;

namespace FastPath.Charts.Drawing;

/// <summary>
/// Draws one family log-log: a flat line is a cost independent of cluster size, a line rising one decade per decade
/// is linear. ScottPlot has no log axis, so the data are plotted as log10 and the ticks labelled with the powers.
/// </summary>
internal static class CostChart
{
    public static void SaveSvg(ChartData data, string sizeColumn, string path)
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        double xMin = double.MaxValue, xMax = double.MinValue, yMin = double.MaxValue, yMax = double.MinValue;
        foreach (var line in data.Lines)
        {
            var xs = Log10(line.Sizes);
            var ys = Log10(line.Values);
            var scatter = plot.Add.Scatter(xs, ys);
            scatter.LegendText = line.Label;
            scatter.LineWidth = 2;
            scatter.MarkerSize = 8;
            foreach (double x in xs) (xMin, xMax) = (Math.Min(xMin, x), Math.Max(xMax, x));
            foreach (double y in ys) (yMin, yMax) = (Math.Min(yMin, y), Math.Max(yMax, y));
        }

        plot.Axes.Bottom.TickGenerator = LogTicks();
        plot.Axes.Left.TickGenerator = LogTicks();
        plot.Grid.MajorLineColor = Colors.Black.WithOpacity(0.15);
        plot.Grid.MinorLineColor = Colors.Black.WithOpacity(0.05);
        plot.Grid.MinorLineWidth = 1;
        // Whole decades on both axes, so a flat line looks flat even when its values differ by a few percent; a tenth
        // of a decade clear of the frame, so no point sits on it.
        double yLow = Math.Floor(yMin - 0.1), yHigh = Math.Ceiling(yMax + 0.1);
        if (yHigh - yLow < 2) yHigh = yLow + 2;
        plot.Axes.SetLimits(xMin - 0.15, xMax + 0.15, yLow, yHigh);

        // What linear looks like on these axes, to hold each line against.
        var guide = plot.Add.Line(xMin, yLow, xMax, yLow + (xMax - xMin));
        guide.LinePattern = LinePattern.Dashed;
        guide.Color = Colors.Gray;
        guide.LineWidth = 1;
        guide.LegendText = "slope of a linear cost (10× per 10× size), for comparison";

        plot.Title(data.Family.Title);
        plot.XLabel($"cluster size ({sizeColumn}, log scale)");
        plot.YLabel($"time per operation ({data.Unit.Symbol}, log scale)");
        plot.ShowLegend(Edge.Bottom); // below the axes: never over a line
        // Skia names the one font it measured with; a reader's browser without DejaVu gets a sans-serif of its own.
        string svg = plot.GetSvgXml(900, 620).Replace("font-family=\"DejaVu Sans\"", "font-family=\"DejaVu Sans, Verdana, sans-serif\"", StringComparison.Ordinal);
        File.WriteAllText(path, svg);
    }

    private static double[] Log10(double[] values)
    {
        var logs = new double[values.Length];
        for (int i = 0; i < values.Length; i++) logs[i] = Math.Log10(values[i]);
        return logs;
    }

    private static ScottPlot.TickGenerators.NumericAutomatic LogTicks() => new()
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = Power,
    };

    private static string Power(double log10)
    {
        double value = Math.Pow(10, Math.Round(log10));
        return value >= 1 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("G3", CultureInfo.InvariantCulture);
    }
}
