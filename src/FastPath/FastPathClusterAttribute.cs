using System;

namespace FastPath;

/// <summary>
/// Compiles the Kubernetes manifests under <see cref="Manifests"/> (given to the compiler as AdditionalFiles) into this
/// <c>static partial</c> class: its DNS resolver, backend selectors with typed accessors, and service environment variables.
/// </summary>
/// <example><code>[FastPathCluster("manifests/demo")] public static partial class Demo;</code></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class FastPathClusterAttribute(string manifests) : Attribute
{
    /// <summary>The folder of manifests, relative to the project.</summary>
    public string Manifests { get; } = manifests;
    /// <summary>A Corefile (an AdditionalFile, relative to the project); else the coredns ConfigMap, else CoreDNS's default.</summary>
    public string? Corefile { get; set; }
    /// <summary>The service CIDR(s) clusterIPs must lie in (unset: Kubernetes' defaults, not enforced).</summary>
    public string? ServiceCidr { get; set; }
    /// <summary>The DNS server's own addresses (apex NS, ns.dns); unset: the ready endpoints of kube-system/kube-dns.</summary>
    public string[]? DnsIps { get; set; }
}
