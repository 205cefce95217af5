using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using FastPath.Compiled;
using FastPath.Diagnostics;
using FastPath.Live;
using FastPath.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace FastPath.Yarp;

/// <summary>
/// <c>"FastPath.KubeProxy"</c>: the destination kube-proxy on this node would connect a client to: the Service's
/// traffic policy and topology, its scheduler, its <c>sessionAffinity: ClientIP</c> with its timeout, all from the
/// current snapshot's data plane. When that destination is not available to YARP (its own health checks), the next
/// available one in order is used; a cluster FastPath did not generate, or a Service kube-proxy rejects, gets none (503).
/// </summary>
internal sealed class KubeProxyLoadBalancingPolicy(IClusterSnapshotSource source, IOptions<FastPathYarpOptions> options,
    IOptions<FastPathClientIpOptions> clientIp, FastPathMetrics metrics) : ILoadBalancingPolicy
{
    private readonly ConditionalWeakTable<ClusterState, Binding> _bindings = new();
    private readonly string? _node = options.Value.Node;
    private readonly string? _header = clientIp.Value.ForwardedHeader;

    public string Name => FastPathPolicyNames.KubeProxy;

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        if (availableDestinations.Count == 0) return null;
        var snapshot = source.Current;
        if (snapshot is null) return null;
        var binding = _bindings.GetValue(cluster, static _ => new Binding());
        var port = binding.Port(snapshot, cluster);
        if (port is null) return null;
        if (!ClientAddress.TryGet(context, _header, out var client)) client = 0;
        var selection = port.Select(client, _node, external: false);
        if (selection.Action != ProxyAction.Forward || selection.Endpoint is null) return null;
        FastPathPickFeature.Mark(context, metrics, selection.Sticky);
        for (int i = 0; i < availableDestinations.Count; i++)
            if (string.Equals(availableDestinations[i].DestinationId, selection.Endpoint, StringComparison.Ordinal)) return availableDestinations[i];
        return availableDestinations[0];
    }

    /// <summary>The cluster's Service port in the current snapshot, looked up again only when the snapshot changes.</summary>
    private sealed class Binding
    {
        private sealed record Bound(ClusterSnapshot Snapshot, ServicePortHandle? Port);
        private Bound? _current;

        public ServicePortHandle? Port(ClusterSnapshot snapshot, ClusterState cluster)
        {
            var c = Volatile.Read(ref _current);
            if (c is not null && ReferenceEquals(c.Snapshot, snapshot)) return c.Port;
            var meta = cluster.Model.Config.Metadata;
            ServicePortHandle? port = null;
            if (meta is not null && meta.TryGetValue(FastPathMetadata.Namespace, out var ns) && meta.TryGetValue(FastPathMetadata.Service, out var svc)
                && meta.TryGetValue(FastPathMetadata.Port, out var p) && p.Length > 0)
                port = snapshot.DataPlane.Find(ns, svc, p);
            Volatile.Write(ref _current, new Bound(snapshot, port));
            return port;
        }
    }
}
