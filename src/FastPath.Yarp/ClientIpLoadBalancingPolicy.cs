using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;
using FastPath.Diagnostics;
using FastPath.Runtime;
using FastPath.Runtime.Affinity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace FastPath.Yarp;

/// <summary>
/// <c>"FastPath.ClientIP"</c>: IPVS persistence for YARP. The first request from a client address picks a destination
/// (round robin over the available ones) and writes a template; later requests within the timeout go to the same
/// destination and re-arm the template to the full timeout (ip_vs_conn_put); a template whose destination is no longer
/// available is replaced (ip_vs_check_template). Templates live in FastPath's fixed, lock-striped persistence table,
/// on the injected <see cref="TimeProvider"/>; a pick allocates nothing.
/// </summary>
internal sealed class ClientIpLoadBalancingPolicy : ILoadBalancingPolicy
{
    private readonly PersistenceTable _table;
    private readonly FastPathClientIpOptions _options;
    private readonly ConditionalWeakTable<ClusterState, ClusterAffinity> _clusters = new();
    private ClusterAffinity? _last;

    private readonly FastPathMetrics _metrics;

    public ClientIpLoadBalancingPolicy(IOptions<FastPathClientIpOptions> options, TimeProvider time, FastPathMetrics metrics)
    {
        _options = options.Value;
        _metrics = metrics;
        _table = new PersistenceTable(_options.Capacity, time);
    }

    public string Name => FastPathPolicyNames.ClientIP;

    internal PersistenceTable Table => _table;

    // Never inlined into the caller (YARP's middleware, a benchmark's loop) by guarded devirtualization: there the pick's
    // forced inlines exhausted the caller's inlining budget and even UInt128's constructor and operators stayed calls
    // (seen with DOTNET_JitDisasm in the benchmark). Compiled on its own, the pick inlines them all, behind one direct call.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        int count = availableDestinations.Count;
        if (count == 0) return null;
        // The cluster picked last is the usual one: skip the weak table's lookup for it (no allocation either way).
        var state = Volatile.Read(ref _last);
        if (state is null || !ReferenceEquals(state.Cluster, cluster))
            Volatile.Write(ref _last, state = _clusters.GetValue(cluster, static c => new ClusterAffinity(c)));
        var view = state.For(cluster, availableDestinations, _table, _options.TimeoutSeconds);
        if (!ClientAddress.TryGet(context, _options.ForwardedHeader, out var client)) return availableDestinations[state.Next(count)];
        var service = view.Service;
        int id = service.Lookup(client);
        if (id >= 0)
        {
            int at = view.IndexOf(id);
            if (at >= 0)
            {
                FastPathPickFeature.Mark(context, _metrics, sticky: true);
                return availableDestinations[at];
            }
        }
        int pick = state.Next(count);
        _table.Set(new PersistenceKey(service.ServiceAddress, service.Port, service.Protocol, client), view.Ids[pick], service.TimeoutSeconds);
        FastPathPickFeature.Mark(context, _metrics, sticky: false);
        return availableDestinations[pick];
    }

    /// <summary>Per cluster: a round-robin counter and the ids of the current available list (rebuilt when YARP replaces the list).</summary>
    private sealed class ClusterAffinity(ClusterState cluster)
    {
        public ClusterState Cluster { get; } = cluster;
        private int _counter = -1;
        private View? _view;

        public int Next(int count) => (int)((uint)Interlocked.Increment(ref _counter) % (uint)count);

        public View For(ClusterState cluster, IReadOnlyList<DestinationState> available, PersistenceTable table, int defaultTimeout)
        {
            var v = Volatile.Read(ref _view);
            if (v is not null && ReferenceEquals(v.Available, available) && ReferenceEquals(v.Model, cluster.Model)) return v;
            v = View.Create(cluster, available, table, defaultTimeout);
            Volatile.Write(ref _view, v);
            return v;
        }
    }

    /// <summary>The cluster's virtual service (its key parts, its share of the hash, its timeout) and the ids of YARP's list.</summary>
    private sealed record View(IReadOnlyList<DestinationState> Available, ClusterModel Model, AffinitySettings Service, int[] Ids)
    {
        // A template names a random destination: found by one vector compare for up to 8, without a call.
        private readonly EndpointIdIndex _byId = new(Ids);

        [MethodImpl(MethodImplOptions.AggressiveInlining)] // on a template hit, which a miss-heavy early profile marks cold
        public int IndexOf(int id) => _byId.IndexOf(id);

        public static View Create(ClusterState cluster, IReadOnlyList<DestinationState> available, PersistenceTable table, int defaultTimeout)
        {
            var meta = cluster.Model.Config.Metadata;
            // A FastPath cluster is keyed like IPVS's virtual service (ClusterIP, port); any other by a hash of its id.
            UInt128 service = meta is not null && meta.TryGetValue(FastPathMetadata.ClusterIP, out var ip) && System.Net.IPAddress.TryParse(ip, out var a)
                ? IpKey.From(a) : IpKey.Hash(0, (ulong)BackendSelector.EndpointId(cluster.ClusterId));
            ushort port = meta is not null && meta.TryGetValue(FastPathMetadata.Port, out var p) && ushort.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (ushort)0;
            int timeout = meta is not null && meta.TryGetValue(FastPathMetadata.AffinityTimeoutSeconds, out var t) && int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : defaultTimeout;
            var ids = new int[available.Count];
            // Templates name destinations by a stable hash of their id ("ip:port" for FastPath clusters), so they outlive config reloads.
            for (int i = 0; i < ids.Length; i++) ids[i] = BackendSelector.EndpointId(available[i].DestinationId);
            return new View(available, cluster.Model, new AffinitySettings(table, service, port, 6, timeout), ids);
        }
    }
}
