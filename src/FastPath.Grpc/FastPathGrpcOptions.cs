namespace FastPath.Grpc;

/// <summary>How the <c>fastpath:///</c> resolver decides.</summary>
public sealed class FastPathGrpcOptions
{
    /// <summary>The node this app runs on (downward API <c>spec.nodeName</c>): kube-proxy decides per node.</summary>
    public string? Node { get; set; }

    /// <summary>The app's namespace, for bare names (<c>fastpath:///cart:grpc</c>).</summary>
    public string? Namespace { get; set; }

    /// <summary>The cluster domain of <c>name.namespace.svc.&lt;domain&gt;</c> names.</summary>
    public string ClusterDomain { get; set; } = "cluster.local";
}

/// <summary>Load-balancing policy names for <c>ServiceConfig.LoadBalancingConfigs</c>.</summary>
public static class FastPathBalancerNames
{
    /// <summary>Strict rotation over the ready subchannels: even within one call.</summary>
    public const string RoundRobin = "fastpath_round_robin";
    /// <summary>Power of two choices on outstanding calls: two random ready subchannels, the one with fewer calls in flight.</summary>
    public const string PowerOfTwoChoices = "fastpath_p2c";
}
