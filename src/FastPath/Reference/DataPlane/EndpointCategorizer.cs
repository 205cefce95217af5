using System;
using System.Collections.Generic;
using System.Linq;
using FastPath.Model;
using FastPath.Model.Net;
using FastPath.Runtime;

namespace FastPath.Reference.DataPlane;

/// <summary>The result of kube-proxy's CategorizeEndpoints for one service port on one node.</summary>
public sealed record Categorized(IReadOnlyList<ProxyEndpoint>? Cluster, IReadOnlyList<ProxyEndpoint>? Local,
    IReadOnlyList<ProxyEndpoint>? AllReachable, bool HasAny);

/// <summary>
/// Reference statement of what kube-proxy decides (pkg/proxy/topology.go CategorizeEndpoints, pkg/proxy/serviceport.go,
/// and the iptables proxier's reject/drop rules), computed from the model with plain code.
/// </summary>
public static class EndpointCategorizer
{
    /// <summary>The endpoints of one service port, as the endpoint slice cache builds them for this node.</summary>
    public static List<ProxyEndpoint> EndpointsFor(Cluster cluster, Service svc, ServicePort port, string? node)
    {
        var family = svc.ClusterIPs.Count > 0 && IpText.IsIPv6(svc.ClusterIPs[0]) ? "IPv6" : "IPv4";
        var byKey = new Dictionary<string, ProxyEndpoint>(StringComparer.Ordinal);
        foreach (var slice in cluster.SlicesFor(svc))
        {
            if (slice.AddressType != family) continue;
            // Slice ports are matched to the service port by name and protocol.
            var sp = slice.Ports.FirstOrDefault(p => (p.Name ?? "") == (port.Name ?? "") && p.Protocol == port.Protocol);
            if (sp is null) continue;
            foreach (var e in slice.Endpoints)
            {
                if (e.Addresses.Count == 0) continue;
                var ip = IpText.CanonicalOrNull(e.Addresses[0]); // only the first address is used
                if (ip is null) continue;
                bool local = node is { Length: > 0 } && e.NodeName == node;
                var pe = new ProxyEndpoint(ip, sp.Port, e.IsReady, e.IsServing, e.IsTerminating, local, e.NodeName, e.Zone, e.ZoneHints, e.NodeHints);
                // The same ip:port from two slices appears once; a local copy wins.
                if (!byKey.TryGetValue(pe.Key, out var existing) || (!existing.IsLocal && local)) byKey[pe.Key] = pe;
            }
        }
        return byKey.Values.OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>nodePort, an LB VIP (ingress IP with ipMode VIP or unset), or an external IP.</summary>
    public static bool ExternallyAccessible(Service svc, ServicePort port) =>
        port.NodePort != 0 || svc.ExternalIPs.Count > 0 || LoadBalancerVips(svc).Any();

    public static IEnumerable<string> LoadBalancerVips(Service svc) =>
        svc.LoadBalancerIngress.Where(i => i.Ip is not null && (i.IpMode is null or "VIP")).Select(i => i.Ip!);

    public static Categorized Categorize(IReadOnlyList<ProxyEndpoint> endpoints, Service svc, ServicePort port, string? node, string? zone)
    {
        if (endpoints.Count == 0) return new Categorized(null, null, null, false);
        bool external = ExternallyAccessible(svc, port);
        bool usesCluster = svc.InternalTrafficPolicy != TrafficPolicy.Local || external;
        bool usesLocal = svc.InternalTrafficPolicy == TrafficPolicy.Local || (svc.ExternalTrafficPolicy == TrafficPolicy.Local && external);

        List<ProxyEndpoint>? cluster = null;
        bool hasAny = false;
        string mode = "";
        if (usesCluster)
        {
            mode = TopologyMode(endpoints, node, zone);
            cluster = endpoints.Where(e => e.Ready && Available(e, mode, node, zone)).ToList();
            // No ready endpoint: the serving-and-terminating ones, ignoring topology and locality.
            if (cluster.Count == 0) cluster = endpoints.Where(e => e.ServingTerminating).ToList();
            hasAny = cluster.Count > 0;
        }
        if (!usesLocal) return new Categorized(cluster, null, cluster, hasAny);

        bool localReady = false, localServingTerminating = false;
        foreach (var e in endpoints)
        {
            if (e.Ready) { hasAny = true; if (e.IsLocal) localReady = true; }
            else if (e.ServingTerminating) { hasAny = true; if (e.IsLocal) localServingTerminating = true; }
        }
        List<ProxyEndpoint>? local = null;
        bool usedTerminating = false;
        if (localReady) local = endpoints.Where(e => e.IsLocal && e.Ready).ToList();
        else if (localServingTerminating) { local = endpoints.Where(e => e.IsLocal && e.ServingTerminating).ToList(); usedTerminating = true; }

        if (!usesCluster) return new Categorized(null, local, local, hasAny);
        if (mode == "" && !usedTerminating) return new Categorized(cluster, local, cluster, hasAny);
        var all = new Dictionary<string, ProxyEndpoint>(StringComparer.Ordinal);
        foreach (var e in cluster!) all[e.Key] = e;
        foreach (var e in local ?? []) all[e.Key] = e;
        return new Categorized(cluster, local, all.Values.OrderBy(e => e.Key, StringComparer.Ordinal).ToList(), hasAny);
    }

    /// <summary>
    /// topologyModeFromHints: hints apply only when every ready endpoint carries one and some endpoint names this
    /// node (PreferSameNode) or this node's zone (PreferSameZone); otherwise no filtering.
    /// </summary>
    private static string TopologyMode(IReadOnlyList<ProxyEndpoint> endpoints, string? node, string? zone)
    {
        var ready = endpoints.Where(e => e.Ready).ToList();
        if (ready.Count == 0) return "";
        if (ready.All(e => e.NodeHints is { Count: > 0 }) && node is { Length: > 0 } && ready.Any(e => e.NodeHints!.Contains(node)))
            return "PreferSameNode";
        if (ready.All(e => e.ZoneHints is { Count: > 0 }) && zone is { Length: > 0 } && ready.Any(e => e.ZoneHints!.Contains(zone)))
            return "PreferSameZone";
        return "";
    }

    private static bool Available(ProxyEndpoint e, string mode, string? node, string? zone) => mode switch
    {
        "PreferSameNode" => e.NodeHints!.Contains(node!),
        "PreferSameZone" => e.ZoneHints!.Contains(zone!),
        _ => true,
    };

    /// <summary>The decision for one traffic source: forward over the endpoints its policy uses, or reject, or drop.</summary>
    public static EndpointDecision Decide(Cluster cluster, Service svc, ServicePort port, TrafficSource source)
    {
        if (!svc.IsProxied)
            return new EndpointDecision(ProxyAction.NotProxied, [], svc.IsExternalName ? "ExternalName services are answered by DNS only" : "headless services are not proxied");
        if (source.External && !ExternallyAccessible(svc, port))
            return new EndpointDecision(ProxyAction.NotProxied, [], "the port has no nodePort, external IP or load-balancer VIP");
        var zone = source.Node is null ? null : cluster.FindNode(source.Node)?.Zone;
        var c = Categorize(EndpointsFor(cluster, svc, port, source.Node), svc, port, source.Node, zone);
        bool local = (source.External ? svc.ExternalTrafficPolicy : svc.InternalTrafficPolicy) == TrafficPolicy.Local;
        var eps = (local ? c.Local : c.Cluster) ?? [];
        if (!c.HasAny) return new EndpointDecision(ProxyAction.Reject, [], "the service has no usable endpoints");
        if (eps.Count == 0) return new EndpointDecision(ProxyAction.Drop, [], "the Local traffic policy leaves no endpoint on this node");
        return new EndpointDecision(ProxyAction.Forward, eps, local ? "local endpoints" : "cluster endpoints");
    }
}
