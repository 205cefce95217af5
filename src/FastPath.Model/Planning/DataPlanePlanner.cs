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

    private sealed record PlannedEndpoint(string Ip, int Port, string Key, bool Ready, bool Serving, bool Terminating, string? Node, IReadOnlyList<string>? Zones, IReadOnlyList<string>? Nodes);

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
    public static IReadOnlyList<PortPlan> PlanService(Service s, IReadOnlyList<EndpointSlice> slices, IReadOnlyList<string> nodes, Func<string, Node?> findNode)
    {
        var plans = new List<PortPlan>();
        if (!s.IsProxied) return plans;
        foreach (var port in s.Ports)
        {
            var eps = Endpoints(slices, s, port);
            var first = eps.Select(c => c[0]).ToList();
            bool accessible = port.NodePort != 0 || s.ExternalIPs.Count > 0 || Vips(s).Any();
            var decisions = new List<PortDecision>();
            foreach (var external in accessible ? new[] { false, true } : new[] { false })
            {
                // A node's decision is kept only where it differs from the node-less one: with Cluster policies and
                // no hints every node decides alike, and the plan stays small for large clusters.
                var common = Decide(findNode, s, port, eps, null, external, accessible);
                decisions.Add(common);
                if (!NodeDependent(s, eps)) continue;
                foreach (var node in nodes)
                {
                    var d = Decide(findNode, s, port, eps, node, external, accessible);
                    if (d.Action != common.Action || !d.Eligible.SequenceEqual(common.Eligible) || d.Reason != common.Reason) decisions.Add(d);
                }
            }
            var weights = first.Select(e => ServiceAnnotations.WeightOf(s, e.Ip)).ToList();
            plans.Add(new PortPlan(s.Namespace, s.Name, port.Name, port.Port, port.Protocol, port.NodePort, s.ClusterIPs[0],
                Vips(s).Concat(s.ExternalIPs).FirstOrDefault(), first.Select(e => e.Key).ToList(), weights,
                ServiceAnnotations.SchedulerOf(s), s.SessionAffinity == SessionAffinity.ClientIP ? s.AffinityTimeoutSeconds : 0,
                decisions, $"Service {s.Meta.Key}" + (s.Meta.Location is null ? "" : $" ({s.Meta.Location.Path}:{s.Meta.Location.Line})")));
        }
        return plans;
    }

    /// <summary>
    /// Whether the node can change a decision: a Local traffic policy, topology hints, or an endpoint listed twice (a
    /// node prefers its local copy). Without any, every node decides as the node-less decision and none is computed.
    /// </summary>
    private static bool NodeDependent(Service s, List<List<PlannedEndpoint>> eps)
    {
        if (s.InternalTrafficPolicy == TrafficPolicy.Local || s.ExternalTrafficPolicy == TrafficPolicy.Local) return true;
        foreach (var copies in eps)
        {
            if (copies.Count > 1) return true;
            foreach (var e in copies)
                if (e.Zones is { Count: > 0 } || e.Nodes is { Count: > 0 }) return true;
        }
        return false;
    }

    private static IEnumerable<string> Vips(Service s) => s.LoadBalancerIngress.Where(i => i.Ip is not null && (i.IpMode is null || i.IpMode == "VIP")).Select(i => i.Ip!);

    /// <summary>The port's endpoints of the service's primary family, first address only, sorted by ip:port; the first copy of a duplicate is kept.</summary>
    private static List<List<PlannedEndpoint>> Endpoints(IReadOnlyList<EndpointSlice> slices, Service s, ServicePort port)
    {
        string family = IpText.IsIPv6(s.ClusterIPs[0]) ? "IPv6" : "IPv4";
        var seen = new Dictionary<string, List<PlannedEndpoint>>(StringComparer.Ordinal);
        foreach (var slice in slices.Where(sl => sl.AddressType == family))
        {
            var sp = slice.Ports.FirstOrDefault(p => (p.Name ?? "") == (port.Name ?? "") && p.Protocol == port.Protocol);
            if (sp is null) continue;
            foreach (var e in slice.Endpoints)
            {
                if (e.Addresses.Count == 0 || IpText.CanonicalOrNull(e.Addresses[0]) is not { } ip) continue;
                var key = ip.IndexOf(':') >= 0 ? $"[{ip}]:{sp.Port.ToString(CultureInfo.InvariantCulture)}" : $"{ip}:{sp.Port.ToString(CultureInfo.InvariantCulture)}";
                var ep = new PlannedEndpoint(ip, sp.Port, key, e.Ready ?? true, e.Serving ?? true, e.Terminating ?? false, e.NodeName, e.ZoneHints, e.NodeHints);
                // Every copy is kept: which one kube-proxy uses depends on the node (a local copy wins).
                if (!seen.TryGetValue(key, out var copies)) seen[key] = copies = new List<PlannedEndpoint>();
                copies.Add(ep);
            }
        }
        return seen.Values.OrderBy(e => e[0].Key, StringComparer.Ordinal).ToList();
    }

    private static PortDecision Decide(Func<string, Node?> findNode, Service s, ServicePort port, List<List<PlannedEndpoint>> copies, string? node, bool external, bool accessible)
    {
        bool Local(PlannedEndpoint e) => node is { Length: > 0 } && e.Node == node;
        var eps = copies.Select(c => c.FirstOrDefault(Local) ?? c[0]).ToList();
        bool servTerm(PlannedEndpoint e) => e.Serving && e.Terminating;
        bool usesCluster = s.InternalTrafficPolicy != TrafficPolicy.Local || accessible;
        bool usesLocal = s.InternalTrafficPolicy == TrafficPolicy.Local || (s.ExternalTrafficPolicy == TrafficPolicy.Local && accessible);
        bool localPolicy = (external ? s.ExternalTrafficPolicy : s.InternalTrafficPolicy) == TrafficPolicy.Local;

        // Everything usable anywhere (hasAny): ready endpoints, or serving-terminating ones when none is ready.
        bool any = eps.Any(e => e.Ready) || eps.Any(servTerm);
        if (!any) return new PortDecision(node, external, Reject, [], "the service has no usable endpoints");

        List<PlannedEndpoint> chosen;
        if (localPolicy && usesLocal)
        {
            chosen = eps.Where(e => Local(e) && e.Ready).ToList();
            if (chosen.Count == 0) chosen = eps.Where(e => Local(e) && !e.Ready && servTerm(e)).ToList();
        }
        else if (usesCluster)
        {
            var zone = node is null ? null : findNode(node)?.Zone;
            var ready = eps.Where(e => e.Ready).ToList();
            chosen = ready;
            // Topology hints: all-or-nothing, node hints before zone hints, never in the terminating fallback.
            if (ready.Count > 0 && node is { Length: > 0 } && ready.All(e => e.Nodes is { Count: > 0 }) && ready.Any(e => e.Nodes!.Contains(node)))
                chosen = ready.Where(e => e.Nodes!.Contains(node)).ToList();
            else if (ready.Count > 0 && zone is { Length: > 0 } && ready.All(e => e.Zones is { Count: > 0 }) && ready.Any(e => e.Zones!.Contains(zone)))
                chosen = ready.Where(e => e.Zones!.Contains(zone)).ToList();
            if (chosen.Count == 0) chosen = eps.Where(servTerm).ToList();
        }
        else chosen = [];
        if (chosen.Count == 0) return new PortDecision(node, external, Drop, [], "the Local traffic policy leaves no endpoint on this node");
        return new PortDecision(node, external, Forward, chosen.Select(e => eps.IndexOf(e)).OrderBy(i => i).ToList(), localPolicy ? "local endpoints" : "cluster endpoints");
    }
}
