using FastPath.Runtime;

namespace FastPath.Reference.DataPlane;

/// <summary>Where a connection comes from: a pod on <see cref="Node"/>, or from outside through that node.</summary>
public sealed record TrafficSource(string? Node, bool External)
{
    public static TrafficSource Internal(string? node) => new(node, false);
    public static TrafficSource ExternalVia(string? node) => new(node, true);
}

public sealed record EndpointDecision(ProxyAction Action, System.Collections.Generic.IReadOnlyList<ProxyEndpoint> Endpoints, string Reason);
