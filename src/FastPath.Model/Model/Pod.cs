using System.Collections.Generic;

namespace FastPath.Model;

public sealed record Pod
{
    public required ObjectMeta Meta { get; init; }
    public string Namespace => Meta.Namespace;
    public string Name => Meta.Name;
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public bool IsDeleting { get; init; }
    public string? NodeName { get; init; }
    public string? Hostname { get; init; }
    public string? Subdomain { get; init; }
    public bool HostNetwork { get; init; }
    public bool? EnableServiceLinks { get; init; }
    /// <summary>Ports of the regular containers, then of restartable (sidecar) init containers.</summary>
    public IReadOnlyList<ContainerPort> ContainerPorts { get; init; } = [];
    public IReadOnlyList<string> PodIPs { get; init; } = [];
    public string Phase { get; init; } = "Running";
    /// <summary>The Ready condition's status is "True".</summary>
    public bool IsReady { get; init; }
    public DnsPolicy DnsPolicy { get; init; }
    public PodDnsConfig? DnsConfig { get; init; }
}

public sealed record ContainerPort(string? Name, int Port, string Protocol);
