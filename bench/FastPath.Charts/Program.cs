using System;
using System.Collections.Generic;
using System.IO;
using FastPath.Charts.Drawing;
using FastPath.Charts.Parsing;

namespace FastPath.Charts;

public static class Program
{
    private const string Usage = "usage: FastPath.Charts [--out DIR] [--size COLUMN] ARTIFACTS_DIR...\n" +
        "  reads every *-report.csv under each ARTIFACTS_DIR (BenchmarkDotNet's --artifacts folder; a later folder's\n" +
        "  point replaces an earlier one's) and writes one SVG per cost curve to DIR (default bench/charts).";

    public static int Main(string[] args)
    {
        string output = Path.Combine("bench", "charts"), size = "Services";
        var inputs = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--out" && i + 1 < args.Length) output = args[++i];
            else if (args[i] == "--size" && i + 1 < args.Length) size = args[++i];
            else if (args[i].StartsWith("--", StringComparison.Ordinal)) return Fail(Usage);
            else inputs.Add(args[i]);
        }
        if (inputs.Count == 0) return Fail(Usage);

        var rows = new List<BenchmarkRow>();
        foreach (var dir in inputs)
        {
            if (!Directory.Exists(dir)) return Fail($"no such directory: {dir}");
            rows.AddRange(BenchmarkCsv.ReadDirectory(dir));
        }
        var series = CostSeriesBuilder.Group(rows, size);
        Directory.CreateDirectory(output);
        foreach (var family in Families.All)
        {
            var data = ChartDataBuilder.For(family, series);
            if (data is null)
            {
                Console.WriteLine($"{family.File}: no data (none of its benchmarks is in these reports)");
                continue;
            }
            string path = Path.Combine(output, family.File);
            CostChart.SaveSvg(data, size, path);
            Console.WriteLine($"{path}: {data.Lines.Count} lines, {data.Unit.Symbol}");
        }
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
