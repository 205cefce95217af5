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

    // Never inlined into the caller (YARP's middleware, a benchmark's loop) by guarded devirtualization: there the pick's
    // forced inlines exhausted the caller's inlining budget and even UInt128's constructor and operators stayed calls
    // (seen with DOTNET_JitDisasm in the benchmark). Compiled on its own, the pick inlines them all, behind one direct call.
    [MethodImpl(MethodImplOptions.NoInlining)]
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
        if (bound is null || !ReferenceEquals(bound.Snapshot, snapshot) || !ReferenceEquals(bound.Available, availableDestinations)
            || bound.Selector is { IsCurrent: false })
            bound = binding.Rebind(snapshot, availableDestinations, _node);
        // No selector: not a FastPath cluster, or kube-proxy does not forward this node's traffic to the Service.
        if (bound.Selector is not { } selector) return null;
        int choice = selector.Choose(ClientAddress.Get(context, _header, out _), out bool sticky);
        if (choice < 0) return null;
        FastPathPickFeature.Mark(context, metrics, sticky);
        int at = bound.Choices[choice];
        return availableDestinations[at >= 0 ? at : 0];
    }

    /// <summary>
    /// The cluster's Service port in the current snapshot, the selector this node's connections to it use, and, for
    /// YARP's current available list, the position in it of each of the selector's choices (by destination id; -1 when
    /// not available): rebuilt only when the snapshot or the list changes or the plane is reconfigured, so a pick
    /// reads one object and compares no strings.
    /// </summary>
    private sealed class Binding(ClusterState cluster)
    {
        public sealed record Bound(ClusterSnapshot Snapshot, IReadOnlyList<DestinationState> Available, ServicePortHandle? Port, PortSelector? Selector, int[] Choices);

        public ClusterState Cluster { get; } = cluster;
        private Bound? _current;

        public Bound? Current => Volatile.Read(ref _current);

        public Bound Rebind(ClusterSnapshot snapshot, IReadOnlyList<DestinationState> available, string? node)
        {
            var c = Volatile.Read(ref _current);
            var port = c is not null && ReferenceEquals(c.Snapshot, snapshot) ? c.Port : Find(snapshot);
            var selector = port?.SelectorFor(node, external: false);
            int[] choices = new int[selector?.Count ?? 0];
            for (int k = 0; k < choices.Length; k++)
            {
                string endpoint = port!.Endpoints[selector!.EndpointOf(k)];
                choices[k] = -1;
                for (int i = 0; i < available.Count; i++)
                    if (string.Equals(available[i].DestinationId, endpoint, StringComparison.Ordinal)) { choices[k] = i; break; }
            }
            c = new Bound(snapshot, available, port, selector, choices);
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
