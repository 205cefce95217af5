using System;
using System.IO;
using System.Linq;
using FastPath.Charts;
using FastPath.Charts.Parsing;
using Xunit;

namespace FastPath.Charts.Tests;

/// <summary>BenchmarkDotNet CSV reports from real runs → the series a chart draws.</summary>
public class CostSeriesTests
{
    private static string Data(string folder) => Path.Combine(AppContext.BaseDirectory, "TestData", folder);

    private static ChartFamily Family(string file) => Families.All.Single(f => f.File == file);

    [Fact]
    public void Whole_response_report_gives_one_series_per_method_with_the_median_at_each_size()
    {
        var series = CostSeriesBuilder.Group(BenchmarkCsv.ReadDirectory(Data("response")), "Services");

        Assert.Equal(
            [
                ("MessageBenchmarks", "FastPath generated: Respond", "", new[] { (10.0, 158.2), (1_000.0, 159.7), (10_000.0, 106.4) }),
                ("MessageBenchmarks", "Reference: read + resolve + encode", "", new[] { (10.0, 10_400.7), (1_000.0, 44_342.8), (10_000.0, 217_859.4) }),
                ("MessageBenchmarks", "ARSoft.Tools.Net: parse + answer + encode", "", new[] { (10.0, 7_278.9), (1_000.0, 9_685.6), (10_000.0, 7_069.8) }),
            ],
            series.Select(s => (s.Class, s.Method, s.Variant, s.Points.Select(p => (p.Size, p.Nanoseconds)).ToArray())));
    }

    [Fact]
    public void Each_name_the_lookups_asked_for_is_its_own_series_and_the_lookup_chart_keeps_ClusterIP()
    {
        var series = CostSeriesBuilder.Group(BenchmarkCsv.ReadDirectory(Data("lookup")), "Services");

        Assert.Equal(20, series.Count); // 4 methods × 5 names
        Assert.Equal(
            [(10.0, 55.55), (1_000.0, 34.62), (10_000.0, 16.64)],
            series.Single(s => s.Method == "FastPath generated" && s.Variant == "Name=Miss").Points.Select(p => (p.Size, p.Nanoseconds)));

        var chart = ChartDataBuilder.For(Family("lookup.svg"), series)!;

        Assert.Equal(TimeUnit.Ns, chart.Unit);
        Assert.Equal(
            [
                ("FastPath generated tables", new[] { 10.0, 1_000, 10_000 }, new[] { 45.79, 118.68, 56.83 }),
                ("FrozenDictionary, span lookup (baseline)", new[] { 10.0, 1_000, 10_000 }, new[] { 55.96, 124.82, 51.29 }),
                ("Dictionary, string key", new[] { 10.0, 1_000, 10_000 }, new[] { 262.26, 127.00, 122.25 }),
                ("reference interpreter (scans the model)", new[] { 10.0, 1_000, 10_000 }, new[] { 5_025.12, 28_195.37, 534_321.05 }),
            ],
            chart.Lines.Select(l => (l.Label, l.Sizes, l.Values)));
    }

    [Fact]
    public void Mean_is_taken_where_BenchmarkDotNet_left_the_median_out()
    {
        var series = CostSeriesBuilder.Group(BenchmarkCsv.ReadDirectory(Data("response-mean-only")), "Services");

        Assert.Equal(
            [("FastPath generated: Respond", 1_000.0, 105.4), ("ARSoft.Tools.Net: parse + answer + encode", 1_000.0, 4_998.0)],
            series.Select(s => (s.Method, s.Points.Single().Size, s.Points.Single().Nanoseconds)));
    }

    [Fact]
    public void Whole_response_chart_labels_the_lines_and_keeps_nanoseconds()
    {
        var series = CostSeriesBuilder.Group(BenchmarkCsv.ReadDirectory(Data("response")), "Services");

        var chart = ChartDataBuilder.For(Family("response.svg"), series)!;

        Assert.Equal(TimeUnit.Ns, chart.Unit);
        Assert.Equal(
            [
                ("FastPath generated: Respond", new[] { 10.0, 1_000, 10_000 }, new[] { 158.2, 159.7, 106.4 }),
                ("ARSoft.Tools.Net: parse + answer + encode (baseline)", new[] { 10.0, 1_000, 10_000 }, new[] { 7_278.9, 9_685.6, 7_069.8 }),
                ("reference: read + interpreter + write", new[] { 10.0, 1_000, 10_000 }, new[] { 10_400.7, 44_342.8, 217_859.4 }),
            ],
            chart.Lines.Select(l => (l.Label, l.Sizes, l.Values)));
    }

    [Fact]
    public void A_family_none_of_whose_benchmarks_ran_has_no_chart()
    {
        var series = CostSeriesBuilder.Group(BenchmarkCsv.ReadDirectory(Data("response")), "Services");

        Assert.Null(ChartDataBuilder.For(Family("plan.svg"), series));
    }

    [Fact]
    public void Chart_unit_is_microseconds_when_every_line_is_above_one_and_nanoseconds_are_converted()
    {
        var series = CostSeriesBuilder.Group(BenchmarkCsv.ReadDirectory(Data("response")), "Services");
        var baselines = new ChartFamily("baselines.svg", "baselines",
            [new("MessageBenchmarks", "ARSoft.Tools.Net: parse + answer + encode"), new("MessageBenchmarks", "Reference: read + resolve + encode")]);

        var chart = ChartDataBuilder.For(baselines, series)!;

        Assert.Equal(TimeUnit.Us, chart.Unit);
        Assert.Equal(
            [
                ("ARSoft.Tools.Net: parse + answer + encode", new[] { 7.2789, 9.6856, 7.0698 }),
                ("Reference: read + resolve + encode", new[] { 10.4007, 44.3428, 217.8594 }),
            ],
            chart.Lines.Select(l => (l.Label, Rounded(l.Values))));
    }

    [Fact]
    public void Lines_from_reports_in_different_units_are_drawn_in_one()
    {
        // The snapshot reports are in ms, the message report in ns: the chart takes ns, the smallest.
        var rows = BenchmarkCsv.ReadDirectory(Data("snapshot-update")).Concat(BenchmarkCsv.ReadDirectory(Data("response")));
        var series = CostSeriesBuilder.Group(rows, "Services");
        var mixed = new ChartFamily("mixed.svg", "mixed",
            [new("LiveSnapshotBenchmarks", Label: "change"), new("LiveFullBuildBenchmarks", Label: "full build"), new("MessageBenchmarks", "FastPath generated: Respond")]);

        var chart = ChartDataBuilder.For(mixed, series)!;

        Assert.Equal(TimeUnit.Ns, chart.Unit);
        Assert.Equal(
            [
                ("change", new[] { 10.0, 1_000, 10_000 }, new[] { 1_278_000.0, 1_130_000, 3_740_000 }),
                ("full build", new[] { 10.0, 1_000, 10_000 }, new[] { 12_820_000.0, 1_011_090_000, 7_804_460_000 }),
                ("FastPath generated: Respond", new[] { 10.0, 1_000, 10_000 }, new[] { 158.2, 159.7, 106.4 }),
            ],
            chart.Lines.Select(l => (l.Label, l.Sizes, Rounded(l.Values))));
    }

    [Fact]
    public void Snapshot_update_chart_is_in_milliseconds_with_the_full_build_as_its_baseline()
    {
        var series = CostSeriesBuilder.Group(BenchmarkCsv.ReadDirectory(Data("snapshot-update")), "Services");

        var chart = ChartDataBuilder.For(Family("snapshot-update.svg"), series)!;

        Assert.Equal(TimeUnit.Ms, chart.Unit);
        Assert.Equal(
            [
                ("one EndpointSlice change, incremental", new[] { 1.278, 1.130, 3.740 }),
                ("full snapshot build (baseline)", new[] { 12.82, 1_011.09, 7_804.46 }),
            ],
            chart.Lines.Select(l => (l.Label, Rounded(l.Values))));
    }

    private static double[] Rounded(double[] values) => values.Select(v => Math.Round(v, 6)).ToArray();

    [Theory]
    [InlineData("21.97 ns", 21.97)]
    [InlineData("-", null)]
    [InlineData("4,998.0 ns", 4_998.0)]
    [InlineData("1.52 \u03bcs", 1_520.0)]
    [InlineData("1.52 \u00b5s", 1_520.0)]
    [InlineData("1.52 us", 1_520.0)]
    [InlineData("7.12 ms", 7_120_000.0)]
    [InlineData("2.5 s", 2_500_000_000.0)]
    [InlineData("NA", null)]
    public void Time_cells_are_read_in_nanoseconds(string cell, double? nanoseconds)
    {
        bool read = Duration.TryParseNanoseconds(cell, out double ns);

        Assert.Equal(nanoseconds, read ? Math.Round(ns, 6) : null);
    }
}
