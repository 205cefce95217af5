using System.Collections.Generic;

namespace FastPath.Model.Kubelet;

/// <summary>
/// The kubelet's own DNS flags: <c>--cluster-dns</c>, <c>--cluster-domain</c>, and the content of <c>--resolv-conf</c>
/// (null when the flag is ""), plus the node's IPs (only used when there is no host file).
/// </summary>
public sealed record ResolvConfSettings
{
    public IReadOnlyList<string> ClusterDns { get; init; } = [];
    public string ClusterDomain { get; init; } = "";
    /// <summary>The host file's text; null means <c>--resolv-conf=""</c> (no host file).</summary>
    public string? HostResolvConf { get; init; }
    public IReadOnlyList<System.Net.IPAddress> NodeIPs { get; init; } = [];

    /// <summary>
    /// What a kubelet of this cluster is usually given: the ClusterIP of <c>kube-system/kube-dns</c> and the first
    /// forward zone of the Corefile's kubernetes plugin (without its trailing dot). Either may be missing.
    /// </summary>
    public static ResolvConfSettings ForCluster(Cluster cluster, string? hostResolvConf)
    {
        var dns = cluster.FindService("kube-system", "kube-dns");
        var clusterDns = dns is { IsProxied: true } ? new[] { dns.ClusterIPs[0] } : [];
        var domain = cluster.Corefile.Kubernetes?.PrimaryZone?.TrimEnd('.') ?? "";
        return new ResolvConfSettings { ClusterDns = clusterDns, ClusterDomain = domain, HostResolvConf = hostResolvConf };
    }
}
