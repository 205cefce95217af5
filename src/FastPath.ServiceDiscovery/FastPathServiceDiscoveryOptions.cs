namespace FastPath.ServiceDiscovery;

/// <summary>How FastPath answers Microsoft.Extensions.ServiceDiscovery queries.</summary>
public sealed class FastPathServiceDiscoveryOptions
{
    /// <summary>
    /// The node this app runs on (the downward API's <c>spec.nodeName</c>): kube-proxy's decision differs per node with
    /// <c>internalTrafficPolicy: Local</c> and topology hints. Null: a node with no local endpoints.
    /// </summary>
    public string? Node { get; set; }

    /// <summary>The app's own namespace, for bare names (<c>http://cart</c>); null: bare names are not cluster names.</summary>
    public string? Namespace { get; set; }

    /// <summary>The cluster domain of <c>name.namespace.svc.&lt;domain&gt;</c> names.</summary>
    public string ClusterDomain { get; set; } = "cluster.local";

    /// <summary>
    /// When a cluster name has no endpoints, let MESD's pass-through provider hand the host name to DNS anyway.
    /// Off by default: a Service with no eligible endpoint resolves to none, with the reason, never to a DNS name.
    /// </summary>
    public bool AllowDnsFallback { get; set; }
}
