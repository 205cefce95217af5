using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace FastPath.Generators;

/// <summary>A place in a file, kept as plain values so pipeline models stay equatable; a Location only when reported.</summary>
public sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location) =>
        location?.SourceTree is null ? null : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
}

/// <summary>A diagnostic as data (Roslyn's Diagnostic has no value equality).</summary>
public sealed record DiagnosticInfo(string Id, DiagnosticSeverity Severity, string Message, LocationInfo? Location);

/// <summary>A class marked [FastPathCluster]: where it is and what the attribute says.</summary>
public sealed record ClusterDeclaration(
    string? Namespace, string ClassName, bool IsStaticPartial, string Manifests, string? Corefile, string? ServiceCidr,
    EquatableArray<string> DnsIps, LocationInfo? Location, string HintName);

/// <summary>An AdditionalFile: its path relative to the project (forward slashes), its real path, its text.</summary>
public sealed record InputFile(string RelativePath, string FullPath, string Text);

/// <summary>A declaration with the files under its folder: what one cluster's generation depends on.</summary>
public sealed record ClusterInputs(ClusterDeclaration Declaration, EquatableArray<InputFile> Files);

/// <summary>What a cluster produces: source (null when an error blocks it) and diagnostics.</summary>
public sealed record ClusterResult(string HintName, string? Source, EquatableArray<DiagnosticInfo> Diagnostics);
