using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FastPath.Model.Net;

namespace FastPath.Model.Planning;

/// <summary>
/// Plans kube-proxy's decisions at build time: for every proxied service port, every known node (and no node), and
/// internal and external traffic, the action (forward, reject, drop) and the eligible endpoints, following
/// pkg/proxy/topology.go CategorizeEndpoints. Written apart from the reference data plane: the property tests hold
/// the two against each other.
/// </summary>
public static class DataPlanePlanner
{
    public const int Forward = 0, Reject = 1, Drop = 2, NotProxied = 3;

    private sealed record PlannedEndpoint(string Ip, string Port, bool Ready, bool Serving, bool Terminating, string? Node, IReadOnlyList<string>? Zones, IReadOnlyList<string>? Nodes, int Order);

    /// <summary>
    /// A port's endpoints sorted by ip:port. An address listed more than once keeps every copy, in slice order, after
    /// its first: which one kube-proxy uses depends on the node (a local copy wins). <see cref="Starts"/> marks where
    /// each address's copies begin (and the end); null when no address is listed twice, the usual case.
    /// </summary>
    private sealed class PortEndpoints(PlannedEndpoint[] all, int[]? starts)
    {
        public PlannedEndpoint[] All { get; } = all;
        public int[]? Starts { get; } = starts;
        public int Count => Starts is null ? All.Length : Starts.Length - 1;
        public PlannedEndpoint First(int i) => All[Starts is null ? i : Starts[i]];

        /// <summary>The copy of each address a node uses: its own when it has one, else the first.</summary>
        public PlannedEndpoint[] For(string? node)
        {
            if (Starts is null) return All;
            var picks = new PlannedEndpoint[Count];
            for (int i = 0; i < picks.Length; i++)
            {
                picks[i] = All[Starts[i]];
                if (node is { Length: > 0 })
                    for (int k = Starts[i]; k < Starts[i + 1]; k++)
                        if (All[k].Node == node) { picks[i] = All[k]; break; }
            }
            return picks;
        }
    }

    public static IReadOnlyList<PortPlan> Plan(Cluster cluster)
    {
        var nodes = Nodes(cluster.Nodes, cluster.EndpointSlices);
        var plans = new List<PortPlan>();
        foreach (var s in cluster.Services) plans.AddRange(PlanService(s, cluster.SlicesFor(s), nodes, cluster.FindNode));
        return plans;
    }

    /// <summary>The nodes kube-proxy may run on: every Node, and every node an endpoint names, sorted.</summary>
    public static IReadOnlyList<string> Nodes(IEnumerable<Node> nodes, IEnumerable<EndpointSlice> slices) =>
        nodes.Select(n => n.Name)
            .Concat(slices.SelectMany(s => s.Endpoints).Select(e => e.NodeName).Where(n => !string.IsNullOrEmpty(n)).Select(n => n!))
            .Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();

    /// <summary>One Service's ports (none when it is not proxied), from its slices, for the given nodes.</summary>
    /// <remarks>Plain loops, no LINQ: this runs for every port of every Service on a full build (18,000 ports at 10,000 Services).</remarks>
    public static IReadOnlyList<PortPlan> PlanService(Service s, IReadOnlyList<EndpointSlice> slices, IReadOnlyList<string> nodes, Func<string, Node?> findNode)
    {
        var plans = new List<PortPlan>();
        if (!s.IsProxied) return plans;
        string? vip = FirstVip(s);
        string? externalVip = vip ?? (s.ExternalIPs.Count > 0 ? s.ExternalIPs[0] : null);
        var weightMap = s.Annotations.TryGetValue(ServiceAnnotations.Weights, out var weightText) ? ServiceAnnotations.ParseWeights(weightText) : null;
        string source = $"Service {s.Meta.Key}" + (s.Meta.Location is null ? "" : $" ({s.Meta.Location.Path}:{s.Meta.Location.Line})");
        string scheduler = ServiceAnnotations.SchedulerOf(s);
        for (int pi = 0; pi < s.Ports.Count; pi++)
        {
            var port = s.Ports[pi];
            var eps = Endpoints(slices, s, port);
            bool accessible = port.NodePort != 0 || s.ExternalIPs.Count > 0 || vip is not null;
            bool nodeDependent = NodeDependent(s, eps);
            var decisions = new List<PortDecision>();
            for (int x = 0; x < (accessible ? 2 : 1); x++)
            {
                bool external = x == 1;
                // A node's decision is kept only where it differs from the node-less one: with Cluster policies and
                // no hints every node decides alike, and the plan stays small for large clusters.
                var common = Decide(findNode, s, eps, null, external, accessible);
                decisions.Add(common);
                if (!nodeDependent) continue;
                foreach (var node in nodes)
                {
                    var d = Decide(findNode, s, eps, node, external, accessible);
                    if (d.Action != common.Action || !SameIndexes(d.Eligible, common.Eligible) || d.Reason != common.Reason) decisions.Add(d);
                }
            }
            // The keys are kept as the model's address and port strings (the sort above made its own, dropped now).
            var ips = new string[eps.Count];
            var ports = new string[eps.Count];
            var weights = new int[eps.Count];
            for (int i = 0; i < eps.Count; i++)
            {
                var first = eps.First(i);
                ips[i] = first.Ip;
                ports[i] = first.Port;
                weights[i] = weightMap is not null && weightMap.TryGetValue(first.Ip, out int w) ? w : 1;
            }
            plans.Add(new PortPlan(s.Namespace, s.Name, port.Name, port.Port, port.Protocol, port.NodePort, s.ClusterIPs[0],
                externalVip, new EndpointKeys(ips, ports), weights, scheduler, s.SessionAffinity == SessionAffinity.ClientIP ? s.AffinityTimeoutSeconds : 0,
                decisions, source));
        }
        return plans;
    }

    private static bool SameIndexes(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        if (a.Count != b.Count) return false;
        for (int i = 0; i < a.Count; i++) if (a[i] != b[i]) return false;
        return true;
    }

    /// <summary>
    /// Whether the node can change a decision: a Local traffic policy, topology hints, or an endpoint listed twice (a
    /// node prefers its local copy). Without any, every node decides as the node-less decision and none is computed.
    /// </summary>
    private static bool NodeDependent(Service s, PortEndpoints eps)
    {
        if (s.InternalTrafficPolicy == TrafficPolicy.Local || s.ExternalTrafficPolicy == TrafficPolicy.Local || eps.Starts is not null) return true;
        foreach (var e in eps.All)
            if (e.Zones is { Count: > 0 } || e.Nodes is { Count: > 0 }) return true;
        return false;
    }

    /// <summary>The first load-balancer ingress address in VIP mode, or null.</summary>
    private static string? FirstVip(Service s)
    {
        foreach (var i in s.LoadBalancerIngress)
            if (i.Ip is not null && (i.IpMode is null || i.IpMode == "VIP")) return i.Ip;
        return null;
    }

    // Keys are distinct per address and orders per copy: the order is total.
    private static readonly Comparison<PlannedEndpoint> ByKey = (a, b) =>
        EndpointKeys.Compare(a.Ip, a.Port, b.Ip, b.Port) is var c and not 0 ? c : a.Order.CompareTo(b.Order);

    /// <summary>Whether two endpoints have one key: canonical address texts, so the parts are equal when the keys are.</summary>
    private static bool SameKey(PlannedEndpoint a, PlannedEndpoint b) => a.Ip == b.Ip && a.Port == b.Port;

    /// <summary>
    /// The port's endpoints of the service's primary family, first address only, sorted by ip:port; every copy of a
    /// duplicate is kept, the first first. One sorted array, not a list and a dictionary entry per endpoint: this runs
    /// for every port of a full build (180,000 endpoints at 10,000 Services).
    /// </summary>
    private static PortEndpoints Endpoints(IReadOnlyList<EndpointSlice> slices, Service s, ServicePort port)
    {
        string family = IpText.IsIPv6(s.ClusterIPs[0]) ? "IPv6" : "IPv4";
        var all = new List<PlannedEndpoint>();
        foreach (var slice in slices)
        {
            if (slice.AddressType != family) continue;
            EndpointPort? sp = null;
            foreach (var p in slice.Ports)
                if ((p.Name ?? "") == (port.Name ?? "") && p.Protocol == port.Protocol) { sp = p; break; }
            if (sp is null) continue;
            string portText = sp.Port.ToString(CultureInfo.InvariantCulture);
            if (all.Capacity < all.Count + slice.Endpoints.Count) all.Capacity = all.Count + slice.Endpoints.Count;
            foreach (var e in slice.Endpoints)
            {
                if (e.Addresses.Count == 0) continue;
                // A canonical IPv4 address is its own canonical text: no parse, no new string.
                var address = e.Addresses[0];
                if ((DnsPlanner.CanonicalV4(address) ? address : IpText.CanonicalOrNull(address)) is not { } ip) continue;
                all.Add(new PlannedEndpoint(ip, portText, e.Ready ?? true, e.Serving ?? true, e.Terminating ?? false, e.NodeName, e.ZoneHints, e.NodeHints, all.Count));
            }
        }
        var sorted = all.ToArray();
        Array.Sort(sorted, ByKey);
        int groups = sorted.Length == 0 ? 0 : 1;
        for (int i = 1; i < sorted.Length; i++) if (!SameKey(sorted[i], sorted[i - 1])) groups++;
        if (groups == sorted.Length) return new PortEndpoints(sorted, null);
        var starts = new int[groups + 1];
        for (int i = 1, g = 1; i < sorted.Length; i++) if (!SameKey(sorted[i], sorted[i - 1])) starts[g++] = i;
        starts[groups] = sorted.Length;
        return new PortEndpoints(sorted, starts);
    }

    private static PortDecision Decide(Func<string, Node?> findNode, Service s, PortEndpoints copies, string? node, bool external, bool accessible)
    {
        bool local = node is { Length: > 0 };
        var eps = copies.For(node);
        bool anyUsable = false;
        foreach (var e in eps) anyUsable |= e.Ready || ServingTerminating(e);
        bool usesCluster = s.InternalTrafficPolicy != TrafficPolicy.Local || accessible;
        bool usesLocal = s.InternalTrafficPolicy == TrafficPolicy.Local || (s.ExternalTrafficPolicy == TrafficPolicy.Local && accessible);
        bool localPolicy = (external ? s.ExternalTrafficPolicy : s.InternalTrafficPolicy) == TrafficPolicy.Local;

        // Everything usable anywhere (hasAny): ready endpoints, or serving-terminating ones when none is ready.
        if (!anyUsable) return new PortDecision(node, external, Reject, [], "the service has no usable endpoints");

        // Indexes into eps, ascending (each filter keeps eps's order).
        var chosen = new List<int>(eps.Length);
        if (localPolicy && usesLocal)
        {
            for (int i = 0; i < eps.Length; i++) if (local && eps[i].Node == node && eps[i].Ready) chosen.Add(i);
            if (chosen.Count == 0)
                for (int i = 0; i < eps.Length; i++) if (local && eps[i].Node == node && !eps[i].Ready && ServingTerminating(eps[i])) chosen.Add(i);
        }
        else if (usesCluster)
        {
            var zone = node is null ? null : findNode(node)?.Zone;
            for (int i = 0; i < eps.Length; i++) if (eps[i].Ready) chosen.Add(i);
            // Topology hints: all-or-nothing, node hints before zone hints, never in the terminating fallback.
            if (chosen.Count > 0 && local && AllHinted(eps, chosen, byNode: true) && AnyHint(eps, chosen, node!, byNode: true))
                chosen = OnlyHinted(eps, chosen, node!, byNode: true);
            else if (chosen.Count > 0 && zone is { Length: > 0 } && AllHinted(eps, chosen, byNode: false) && AnyHint(eps, chosen, zone, byNode: false))
                chosen = OnlyHinted(eps, chosen, zone, byNode: false);
            if (chosen.Count == 0)
                for (int i = 0; i < eps.Length; i++) if (ServingTerminating(eps[i])) chosen.Add(i);
        }
        if (chosen.Count == 0) return new PortDecision(node, external, Drop, [], "the Local traffic policy leaves no endpoint on this node");
        return new PortDecision(node, external, Forward, chosen, localPolicy ? "local endpoints" : "cluster endpoints");
    }

    private static bool ServingTerminating(PlannedEndpoint e) => e.Serving && e.Terminating;

    private static IReadOnlyList<string>? Hints(PlannedEndpoint e, bool byNode) => byNode ? e.Nodes : e.Zones;

    private static bool AllHinted(PlannedEndpoint[] eps, List<int> chosen, bool byNode)
    {
        foreach (var i in chosen) if (Hints(eps[i], byNode) is not { Count: > 0 }) return false;
        return true;
    }

    private static bool AnyHint(PlannedEndpoint[] eps, List<int> chosen, string value, bool byNode)
    {
        foreach (var i in chosen) if (Contains(Hints(eps[i], byNode)!, value)) return true;
        return false;
    }

    private static List<int> OnlyHinted(PlannedEndpoint[] eps, List<int> chosen, string value, bool byNode)
    {
        var kept = new List<int>();
        foreach (var i in chosen) if (Contains(Hints(eps[i], byNode)!, value)) kept.Add(i);
        return kept;
    }

    private static bool Contains(IReadOnlyList<string> list, string value)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == value) return true;
        return false;
    }
}
