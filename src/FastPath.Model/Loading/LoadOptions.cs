using System;

namespace FastPath.Model.Loading;

/// <summary>How to load a cluster. Unset CIDRs mean "Kubernetes' defaults, not enforced" (exported manifests load as they are).</summary>
public sealed record LoadOptions
{
    /// <summary>Service CIDR(s), comma-separated (e.g. <c>10.96.0.0/12,fd00:10:96::/112</c>); set means enforced.</summary>
    public string? ServiceCidr { get; init; }
    /// <summary>A Corefile path; when null the coredns ConfigMap among the manifests is used, else CoreDNS's default.</summary>
    public string? CorefilePath { get; init; }
    /// <summary>Corefile text given directly (the generator reads AdditionalFiles); wins over <see cref="CorefilePath"/>.</summary>
    public string? CorefileText { get; init; }
    public Func<string, string?>? Environment { get; init; }
    public Func<string, string?>? ReadFile { get; init; }

    /// <summary>The API server's <c>--service-node-port-range</c> (30000-32767 by default), as <c>FIRST-LAST</c> or <c>FIRST+SIZE</c>.</summary>
    public string NodePortRange { get; init; } = DefaultNodePortRange;

    /// <summary>Limits on manifest input, each rejected with a located error; see docs/validation.md.</summary>
    public ManifestLimits Limits { get; init; } = new();

    public const string DefaultServiceCidrV4 = "10.96.0.0/12";
    public const string DefaultServiceCidrV6 = "fd00:10:96::/112";
    public const string DefaultNodePortRange = "30000-32767";
    public const int NodePortMin = 30000, NodePortMax = 32767;
}

/// <summary>
/// Bounds on what one manifest file may hold, so hostile or broken input is refused in bounded time and memory
/// before any object is built. Defaults sit well above what real clusters need (kubectl output of 10,000 Services
/// loads) and far below what would hurt the process.
/// </summary>
public sealed record ManifestLimits
{
    /// <summary>
    /// Bytes per manifest or Corefile file, checked before the file is read: 10,000 Services with their slices take
    /// about 10 MB as YAML and 27 MB as <c>kubectl get -o json</c> prints them (indented), so the default leaves room
    /// for twice that JSON; reading is streamed, and per-object rules (annotations ≤ 256 KiB) bound each object.
    /// </summary>
    public long MaxFileBytes { get; init; } = 64L * 1024 * 1024;
    /// <summary>YAML documents (<c>---</c>-separated) per file.</summary>
    public int MaxDocuments { get; init; } = 100_000;
    /// <summary>Nesting of mappings and sequences; Kubernetes objects are rarely deeper than 20.</summary>
    public int MaxDepth { get; init; } = 100;
    /// <summary>Characters in one scalar; the API server caps annotations at 256 KiB and ConfigMaps at 1 MiB.</summary>
    public int MaxScalarLength { get; init; } = 1024 * 1024;
    /// <summary>Nodes that YAML aliases (<c>*name</c>) add when expanded, per file: the "billion laughs" guard.</summary>
    public long MaxAliasExpansion { get; init; } = 100_000;
}

