namespace FastPath.Generators;

/// <summary>What a cluster produces: source (null when an error blocks it) and diagnostics.</summary>
public sealed record ClusterResult(string HintName, string? Source, EquatableArray<DiagnosticInfo> Diagnostics);
