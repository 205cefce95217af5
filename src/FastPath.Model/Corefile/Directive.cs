using System.Collections.Generic;
using System.Linq;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Corefile;

/// <summary>One line of a server block (<c>kubernetes cluster.local {</c>), with its nested block's lines.</summary>
public sealed record Directive(string Name, IReadOnlyList<string> Args, IReadOnlyList<Directive> Block, SourceLocation Location)
{
    internal IReadOnlyList<SourceLocation> ArgLocations { get; init; } = [];

    public SourceLocation ArgLocation(int i) => i < ArgLocations.Count ? ArgLocations[i] : Location;

    public override string ToString() => Args.Count == 0 ? Name : Name + " " + string.Join(" ", Args);
}
