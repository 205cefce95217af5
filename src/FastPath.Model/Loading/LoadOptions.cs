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

    public const string DefaultServiceCidrV4 = "10.96.0.0/12";
    public const string DefaultServiceCidrV6 = "fd00:10:96::/112";
    public const int NodePortMin = 30000, NodePortMax = 32767;
}

/// <summary>A manifest file's path (as it should appear in diagnostics) and its text.</summary>
public sealed record ManifestText(string Path, string Text);
