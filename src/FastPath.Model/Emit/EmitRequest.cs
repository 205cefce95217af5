using System.Collections.Generic;
using FastPath.Model.Loading;
using FastPath.Model.Planning;

namespace FastPath.Model.Emit;

/// <summary>What to emit: the class to fill in, the cluster and its plan, and the inputs to embed for the interpreter fallback.</summary>
public sealed record EmitRequest
{
    /// <summary>The namespace of the class; null for the global namespace.</summary>
    public string? Namespace { get; init; }
    public required string ClassName { get; init; }
    /// <summary>"public", "internal", … as the user declared it; null when FastPath declares the class itself.</summary>
    public string? Accessibility { get; init; }
    public required Cluster Cluster { get; init; }
    public required DnsPlan Plan { get; init; }
    /// <summary>The manifests (paths relative to the project), embedded only when a part falls back to the interpreter.</summary>
    public IReadOnlyList<ManifestText> Manifests { get; init; } = [];
    public string? CorefileText { get; init; }
    public string? ServiceCidr { get; init; }
    public string Description { get; init; } = "";
    public string Version { get; init; } = "1.0.0";
}
