namespace FastPath.Model.Diagnostics;

/// <summary>Where a node stands in an input file: 1-based line and column, as compilers print them.</summary>
public sealed record SourceLocation(string Path, int Line, int Column)
{
    public override string ToString() => $"{Path}({Line},{Column})";
}
