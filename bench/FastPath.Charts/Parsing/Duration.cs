using System;
using System.Globalization;
using System.IO;

namespace FastPath.Charts.Parsing;

/// <summary>A BenchmarkDotNet time cell (<c>21.97 ns</c>, <c>"4,998.0 ns"</c>, <c>1.52 μs</c>, <c>5.7 s</c>) in nanoseconds.</summary>
internal static class Duration
{
    /// <summary>False for a cell without a measurement (NA, ?, -, empty); throws for a unit it does not know.</summary>
    public static bool TryParseNanoseconds(string? cell, out double nanoseconds)
    {
        nanoseconds = 0;
        if (cell is null) return false;
        cell = cell.Trim();
        int space = cell.LastIndexOf(' ');
        if (space < 0) return false;
        if (!double.TryParse(cell.AsSpan(0, space), NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out double value))
            return false;
        nanoseconds = value * Scale(cell.Substring(space + 1));
        return true;
    }

    private static double Scale(string unit) => unit switch
    {
        "ns" => 1,
        "μs" or "µs" or "us" => 1e3, // BenchmarkDotNet writes U+03BC; U+00B5 and "us" are the other spellings in use
        "ms" => 1e6,
        "s" => 1e9,
        _ => throw new InvalidDataException($"unknown time unit '{unit}'"),
    };
}
