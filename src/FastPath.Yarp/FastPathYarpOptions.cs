using System.Collections.Generic;

namespace FastPath.Yarp;

/// <summary>Which Services become YARP clusters, and how FastPath decides for them.</summary>
public sealed class FastPathYarpOptions
{
    /// <summary>Services by name: <c>cart.shop</c> (every port), <c>cart.shop:http</c> or <c>cart.shop:8080</c> (one port).</summary>
    public IList<string> Services { get; } = new List<string>();

    /// <summary>Services whose labels include all of these (a label selector's matchLabels).</summary>
    public IDictionary<string, string> MatchLabels { get; } = new Dictionary<string, string>();

    /// <summary>Services carrying this annotation with the value <c>"true"</c> (e.g. <c>fastpath.io/yarp</c>).</summary>
    public string? Annotation { get; set; }

    /// <summary>The node the proxy runs on (downward API <c>spec.nodeName</c>): kube-proxy decides per node.</summary>
    public string? Node { get; set; }

    /// <summary>The cluster domain the generated routes' host names end in.</summary>
    public string ClusterDomain { get; set; } = "cluster.local";

    /// <summary>The <c>LoadBalancingPolicy</c> of every generated cluster; null leaves YARP's default (PowerOfTwoChoices).</summary>
    public string? LoadBalancingPolicy { get; set; }

    /// <summary>Also emit a route per cluster matching the Service's names as the Host header.</summary>
    public bool CreateRoutes { get; set; } = true;
}

/// <summary>The <c>"FastPath.ClientIP"</c> policy: IPVS-style persistence of a client address to a destination.</summary>
public sealed class FastPathClientIpOptions
{
    /// <summary>
    /// Read the client address from this header (<c>X-Forwarded-For</c>: its first entry; <c>Forwarded</c>: its first
    /// <c>for=</c>) instead of the connection; a missing or unparsable header falls back to the connection's address.
    /// </summary>
    public string? ForwardedHeader { get; set; }

    /// <summary>Persistence timeout when the cluster is not a Service with <c>sessionAffinity: ClientIP</c> (whose own timeout wins); Kubernetes' default.</summary>
    public int TimeoutSeconds { get; set; } = 10800;

    /// <summary>Templates kept at once (a fixed table; the entry nearest expiry is evicted when a slot window is full).</summary>
    public int Capacity { get; set; } = 1 << 16;
}
