using System;
using System.Net;

namespace FastPath.Http;

/// <summary>Where this app runs and how FastPath.Http treats names it cannot route.</summary>
public sealed class FastPathHttpOptions
{
    /// <summary>
    /// This app's own address: the key of ClientIP affinity, as kube-proxy sees the pod's source IP. Default: the
    /// <c>POD_IP</c> environment variable (the downward API's usual name), else 127.0.0.1.
    /// </summary>
    public IPAddress ClientAddress { get; set; } = FromEnvironment();

    /// <summary>
    /// The node this app runs on (<c>spec.nodeName</c>): kube-proxy decides per node (Local traffic policy, topology).
    /// Default: the <c>NODE_NAME</c> environment variable; null is a node with no local endpoints.
    /// </summary>
    public string? NodeName { get; set; } = Environment.GetEnvironmentVariable("NODE_NAME");

    /// <summary>The namespace a single-label host (<c>http://cart</c>) means: the app's own. Default: <c>POD_NAMESPACE</c>, else "default".</summary>
    public string Namespace { get; set; } = Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } ns ? ns : "default";

    /// <summary>The cluster domain in full names (<c>cart.shop.svc.cluster.local</c>).</summary>
    public string ClusterDomain { get; set; } = "cluster.local";

    /// <summary>
    /// Connect a host that is not a Service of the snapshot through DNS, as a plain handler would. Off by default:
    /// an unknown name is a <see cref="FastPathRoutingException"/>, never a silent detour.
    /// </summary>
    public bool FallbackToDns { get; set; }

    /// <summary>How long a connection waits for the source's first snapshot before failing with NotSynced.</summary>
    public TimeSpan SyncTimeout { get; set; } = TimeSpan.FromSeconds(10);

    private static IPAddress FromEnvironment() =>
        IPAddress.TryParse(Environment.GetEnvironmentVariable("POD_IP"), out var ip) ? ip : IPAddress.Loopback;
}
