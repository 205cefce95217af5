using System.Collections.Generic;

namespace FastPath.Model;

/// <summary>A v1 Service after the API server's defaulting (and FastPath's deterministic IP allocation).</summary>
public sealed record Service
{
    public required ObjectMeta Meta { get; init; }
    public string Namespace => Meta.Namespace;
    public string Name => Meta.Name;
    public ServiceType Type { get; init; } = ServiceType.ClusterIP;

    /// <summary>spec.clusterIPs in order; ["None"] for a headless service; empty for ExternalName.</summary>
    public IReadOnlyList<string> ClusterIPs { get; init; } = [];
    public IReadOnlyList<IpFamily> IpFamilies { get; init; } = [];
    public string? IpFamilyPolicy { get; init; }
    public IReadOnlyList<ServicePort> Ports { get; init; } = [];
    /// <summary>null when the Service has no selector (its endpoints are managed by hand).</summary>
    public IReadOnlyDictionary<string, string>? Selector { get; init; }
    public string? ExternalName { get; init; }
    public IReadOnlyList<string> ExternalIPs { get; init; } = [];
    public string? LoadBalancerIP { get; init; }
    public IReadOnlyList<LoadBalancerIngress> LoadBalancerIngress { get; init; } = [];
    public SessionAffinity SessionAffinity { get; init; }
    /// <summary>spec.sessionAffinityConfig.clientIP.timeoutSeconds; 10800 by default with ClientIP, 0 with None.</summary>
    public int AffinityTimeoutSeconds { get; init; }
    public TrafficPolicy InternalTrafficPolicy { get; init; }
    /// <summary>Defaulted to Cluster only when the Service is externally reachable (NodePort/LoadBalancer/externalIPs).</summary>
    public TrafficPolicy ExternalTrafficPolicy { get; init; }
    public int HealthCheckNodePort { get; init; }
    public bool PublishNotReadyAddresses { get; init; }
    public bool? AllocateLoadBalancerNodePorts { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    public bool IsHeadless => Type != ServiceType.ExternalName && ClusterIPs.Count > 0 && ClusterIPs[0] == "None";
    public bool IsExternalName => Type == ServiceType.ExternalName;
    /// <summary>Whether kube-proxy programs this service at all (ShouldSkipService).</summary>
    public bool IsProxied => !IsExternalName && !IsHeadless;
}

public sealed record ServicePort
{
    public string? Name { get; init; }
    public string Protocol { get; init; } = "TCP";
    public int Port { get; init; }
    /// <summary>Numeric target port, or 0 when <see cref="TargetPortName"/> names a container port.</summary>
    public int TargetPort { get; init; }
    public string? TargetPortName { get; init; }
    public int NodePort { get; init; }
    public string? AppProtocol { get; init; }
}

public sealed record LoadBalancerIngress(string? Ip, string? Hostname, string? IpMode);
