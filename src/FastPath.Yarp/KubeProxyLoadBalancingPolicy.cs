using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using FastPath.Compiled;
using FastPath.Diagnostics;
using FastPath.Live;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace FastPath.Yarp;

/// <summary>
/// <c>"FastPath.KubeProxy"</c>: the destination kube-proxy on this node would connect a client to: the Service's
/// traffic policy and topology, its scheduler, its <c>sessionAffinity: ClientIP</c> with its timeout, all from the
/// current snapshot's data plane. When that destination is not available to YARP (its own health checks), YARP's first
/// available destination is used; a cluster FastPath did not generate, or a Service kube-proxy rejects, gets none (503).
/// </summary>
internal sealed class KubeProxyLoadBalancingPolicy(IClusterSnapshotSource source, IOptions<FastPathYarpOptions> options,
    IOptions<FastPathClientIpOptions> clientIp, FastPathMetrics metrics) : ILoadBalancingPolicy
{
    private readonly ConditionalWeakTable<ClusterState, Binding> _bindings = new();
    private Binding? _last;
    private readonly string? _node = options.Value.Node;
    private readonly string? _header = clientIp.Value.ForwardedHeader;

    public string Name => FastPathPolicyNames.KubeProxy;

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        if (availableDestinations.Count == 0) return null;
        var snapshot = source.Current;
        if (snapshot is null) return null;
        // The cluster picked last is the usual one: skip the weak table's lookup for it (no allocation either way).
        var binding = Volatile.Read(ref _last);
        if (binding is null || !ReferenceEquals(binding.Cluster, cluster))
            Volatile.Write(ref _last, binding = _bindings.GetValue(cluster, static c => new Binding(c)));
        var bound = binding.Current;
        if (bound is null || !ReferenceEquals(bound.Snapshot, snapshot) || !ReferenceEquals(bound.Available, availableDestinations))
            bound = binding.Rebind(snapshot, availableDestinations);
        if (bound.Port is null) return null;
        var client = ClientAddress.Get(context, _header, out _);
        int endpoint = bound.Port.SelectIndex(client, _node, external: false, out bool sticky);
        if (endpoint < 0) return null;
        FastPathPickFeature.Mark(context, metrics, sticky);
        int at = bound.Destinations[endpoint];
        return availableDestinations[at >= 0 ? at : 0];
    }

    /// <summary>
    /// The cluster's Service port in the current snapshot and, for YARP's current available list, the position in it of
    /// each of the port's endpoints (by destination id; -1 when not available): rebuilt only when the snapshot or the
    /// list changes, so a pick compares no strings.
    /// </summary>
    private sealed class Binding(ClusterState cluster)
    {
        public sealed record Bound(ClusterSnapshot Snapshot, IReadOnlyList<DestinationState> Available, ServicePortHandle? Port, int[] Destinations);

        public ClusterState Cluster { get; } = cluster;
        private Bound? _current;

        public Bound? Current => Volatile.Read(ref _current);

        public Bound Rebind(ClusterSnapshot snapshot, IReadOnlyList<DestinationState> available)
        {
            var c = Volatile.Read(ref _current);
            var port = c is not null && ReferenceEquals(c.Snapshot, snapshot) ? c.Port : Find(snapshot);
            int[] destinations = [];
            if (port is not null)
            {
                destinations = new int[port.Endpoints.Count];
                for (int e = 0; e < destinations.Length; e++)
                {
                    destinations[e] = -1;
                    for (int i = 0; i < available.Count; i++)
                        if (string.Equals(available[i].DestinationId, port.Endpoints[e], StringComparison.Ordinal)) { destinations[e] = i; break; }
                }
            }
            c = new Bound(snapshot, available, port, destinations);
            Volatile.Write(ref _current, c);
            return c;
        }

        private ServicePortHandle? Find(ClusterSnapshot snapshot)
        {
            var meta = Cluster.Model.Config.Metadata;
            if (meta is not null && meta.TryGetValue(FastPathMetadata.Namespace, out var ns) && meta.TryGetValue(FastPathMetadata.Service, out var svc)
                && meta.TryGetValue(FastPathMetadata.Port, out var p) && p.Length > 0)
                return snapshot.DataPlane.Find(ns, svc, p);
            return null;
        }
    }
}
