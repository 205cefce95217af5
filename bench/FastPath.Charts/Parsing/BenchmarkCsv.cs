using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace FastPath.Charts.Parsing;

/// <summary>
/// Reads BenchmarkDotNet's CSV report (CsvExporter: comma-separated, a cell with a comma in double quotes, such as
/// <c>"4,998.0 ns"</c>; a method with a Description in single quotes).
/// </summary>
internal static class BenchmarkCsv
{
    private const string Suffix = "-report.csv";

    /// <summary>Every report under <paramref name="directory"/> (an artifacts folder or its results/), ordinal order.</summary>
    public static IReadOnlyList<BenchmarkRow> ReadDirectory(string directory)
    {
        var files = Directory.GetFiles(directory, "*" + Suffix, SearchOption.AllDirectories);
        Array.Sort(files, StringComparer.Ordinal);
        var rows = new List<BenchmarkRow>();
        foreach (var file in files)
        {
            using var reader = new StreamReader(file, Encoding.UTF8);
            rows.AddRange(Read(ClassOf(file), reader));
        }
        return rows;
    }

    /// <summary><c>FastPath.Benchmarks.NameLookupBenchmarks-report.csv</c> → <c>NameLookupBenchmarks</c>.</summary>
    public static string ClassOf(string path)
    {
        string name = Path.GetFileName(path);
        if (name.EndsWith(Suffix, StringComparison.Ordinal)) name = name.Substring(0, name.Length - Suffix.Length);
        int dot = name.LastIndexOf('.');
        return dot < 0 ? name : name.Substring(dot + 1);
    }

    public static IReadOnlyList<BenchmarkRow> Read(string benchmarkClass, TextReader reader)
    {
        var rows = new List<BenchmarkRow>();
        string? line = reader.ReadLine();
        if (line is null) return rows;
        var headers = Split(line);
        int method = headers.IndexOf("Method");
        if (method < 0) throw new InvalidDataException($"{benchmarkClass}: no Method column in a BenchmarkDotNet CSV header");
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0) continue;
            var cells = Split(line);
            if (cells.Count != headers.Count)
                throw new InvalidDataException($"{benchmarkClass}: a row has {cells.Count} cells, the header {headers.Count}");
            rows.Add(new BenchmarkRow(benchmarkClass, Unquote(cells[method]), headers, cells));
        }
        return rows;
    }

    private static string Unquote(string method) =>
        method.Length >= 2 && method[0] == '\'' && method[method.Length - 1] == '\'' ? method.Substring(1, method.Length - 2) : method;

    private static List<string> Split(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c != '"') cell.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString());
        return cells;
    }
}
