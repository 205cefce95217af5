using System.Collections.Generic;
using FastPath.Model.Planning;

namespace FastPath.Model.Emit;

/// <summary>What to emit: the class to fill in and the planned cluster.</summary>
public sealed record EmitRequest
{
    /// <summary>The namespace of the class; null for the global namespace.</summary>
    public string? Namespace { get; init; }
    public required string ClassName { get; init; }
    /// <summary>"public", "internal", … as the user declared it; null when FastPath declares the class itself.</summary>
    public string? Accessibility { get; init; }
    /// <summary>The cluster, planned once (<see cref="ClusterPlan.Build"/>): the emitter only writes it out.</summary>
    public required ClusterPlan Plan { get; init; }
    public string Description { get; init; } = "";
    public string Version { get; init; } = "1.0.0";
    /// <summary>
    /// Tables as manifest resources of the compiled assembly instead of literals in the source: the run-time compiler
    /// uses this, since resources are copied while literals must be parsed. The source generator cannot add resources.
    /// </summary>
    public bool TablesAsResources { get; init; }
}

/// <summary>The emitted source and, with <see cref="EmitRequest.TablesAsResources"/>, the resources it reads.</summary>
public sealed record EmitOutput(string Source, IReadOnlyList<KeyValuePair<string, byte[]>> Resources);
