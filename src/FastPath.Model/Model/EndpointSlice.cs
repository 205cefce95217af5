using System.Collections.Generic;

namespace FastPath.Model;

/// <summary>A discovery.k8s.io/v1 EndpointSlice, given in a manifest or derived from Pods or legacy Endpoints.</summary>
public sealed record EndpointSlice
{
    public required ObjectMeta Meta { get; init; }
    public string Namespace => Meta.Namespace;
    /// <summary>The kubernetes.io/service-name label.</summary>
    public string? ServiceName { get; init; }
    public string AddressType { get; init; } = "IPv4";
    public IReadOnlyList<EndpointPort> Ports { get; init; } = [];
    public IReadOnlyList<Endpoint> Endpoints { get; init; } = [];
    /// <summary>How the slice came to be: declared, derived from Pods, or mirrored from v1 Endpoints.</summary>
    public EndpointSource Source { get; init; }
}

public enum EndpointSource { Declared, DerivedFromPods, MirroredFromEndpoints }

public sealed record EndpointPort(string? Name, int Port, string Protocol);

public sealed record Endpoint
{
    public IReadOnlyList<string> Addresses { get; init; } = [];
    /// <summary>conditions.ready as written: null means "unknown", which consumers read as ready.</summary>
    public bool? Ready { get; init; }
    public bool? Serving { get; init; }
    public bool? Terminating { get; init; }
    public string? Hostname { get; init; }
    public string? NodeName { get; init; }
    public string? Zone { get; init; }
    public IReadOnlyList<string>? ZoneHints { get; init; }
    public IReadOnlyList<string>? NodeHints { get; init; }
    public TargetRef? TargetRef { get; init; }

    /// <summary>kube-proxy and CoreDNS: nil counts as ready.</summary>
    public bool IsReady => Ready ?? true;
    public bool IsServing => Serving ?? true;
    public bool IsTerminating => Terminating ?? false;
}

public sealed record TargetRef(string? Kind, string? Namespace, string? Name);
