using Microsoft.CodeAnalysis;

namespace FastPath.Generators;

/// <summary>A diagnostic as data (Roslyn's Diagnostic has no value equality); its descriptor is looked up when reported.</summary>
public sealed record DiagnosticInfo(string Id, DiagnosticSeverity Severity, string Message, LocationInfo? Location);
