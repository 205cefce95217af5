namespace FastPath.Yarp;

/// <summary>Names to put in <c>ClusterConfig.LoadBalancingPolicy</c> and <c>HealthCheck.AvailableDestinationsPolicy</c>.</summary>
public static class FastPathPolicyNames
{
    /// <summary>IPVS-style ClientIP persistence (YARP has no server-side client-address affinity).</summary>
    public const string ClientIP = "FastPath.ClientIP";
    /// <summary>kube-proxy's own choice for the Service: its scheduler, its sessionAffinity, its traffic policy.</summary>
    public const string KubeProxy = "FastPath.KubeProxy";
    /// <summary>Availability: only destinations kube-proxy would use from this node (ready, else serving-terminating).</summary>
    public const string EndpointConditions = "FastPath.EndpointConditions";
}
