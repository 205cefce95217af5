using System.Collections.Generic;

namespace FastPath.Charts.Parsing;

/// <summary>
/// One row of a BenchmarkDotNet <c>*-report.csv</c>: the benchmark class (from the file name), the method as the
/// Method column shows it (its Description when it has one, without BenchmarkDotNet's quotes), and every cell by the
/// header's column order.
/// </summary>
internal sealed record BenchmarkRow(string Class, string Method, IReadOnlyList<string> Headers, IReadOnlyList<string> Cells)
{
    public string? this[string column]
    {
        get
        {
            int i = IndexOf(column);
            return i < 0 || i >= Cells.Count ? null : Cells[i];
        }
    }

    public int IndexOf(string column)
    {
        for (int i = 0; i < Headers.Count; i++)
            if (Headers[i] == column) return i;
        return -1;
    }
}
