using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace FastPath.Tests.Properties;

/// <summary>A random cluster as plain data: what the generators make, the shrinker cuts down, and failures print as YAML.</summary>
public sealed record EndpointSpec(string Ip, bool? Ready, bool? Serving, bool? Terminating, string? Node, string? Hostname, string? ZoneHint, string? PodName);

public sealed record PortSpec(string? Name, int Port, string Protocol, int? NodePort);

public sealed record ServiceSpec(string Namespace, string Name, string Kind, IReadOnlyList<string> ClusterIPs, IReadOnlyList<PortSpec> Ports,
    string? ExternalName, IReadOnlyList<EndpointSpec> Endpoints, bool ClientIp, bool LocalInternal, bool LocalExternal, string? LoadBalancerIp);

public sealed record PodSpec(string Namespace, string Name, string Ip, bool Deleting);

public sealed record CorefileSpec(string Pods, int Ttl, IReadOnlyList<string> Namespaces, bool IgnoreEmpty, bool Fallthrough, bool EndpointPodNames, bool NoEndpoints, bool LoadBalance)
{
    /// <summary>Plugin lines (rewrite, autopath, hosts) written ahead of kubernetes; empty for none.</summary>
    public string Plugins { get; init; } = "";

    public string Text()
    {
        var body = new StringBuilder();
        body.Append($"        pods {Pods}\n        ttl {Ttl.ToString(CultureInfo.InvariantCulture)}\n");
        if (Namespaces.Count > 0) body.Append("        namespaces " + string.Join(" ", Namespaces) + "\n");
        if (IgnoreEmpty) body.Append("        ignore empty_service\n");
        if (Fallthrough) body.Append("        fallthrough in-addr.arpa\n");
        if (EndpointPodNames) body.Append("        endpoint_pod_names\n");
        if (NoEndpoints) body.Append("        noendpoints\n");
        return ".:53 {\n" + Plugins + "    kubernetes cluster.local in-addr.arpa ip6.arpa {\n" + body + "    }\n" + (Fallthrough ? "    forward . 192.0.2.53\n" : "") + (LoadBalance ? "    loadbalance\n" : "") + "}\n";
    }
}

public sealed record ClusterSpec(IReadOnlyList<string> Namespaces, IReadOnlyList<ServiceSpec> Services, IReadOnlyList<PodSpec> Pods, IReadOnlyList<string> Nodes, CorefileSpec Corefile)
{
    /// <summary>The cluster as Kubernetes YAML, one document per object (what a failing case prints).</summary>
    public string Yaml()
    {
        var sb = new StringBuilder();
        string Q(string s) => "\"" + s + "\"";
        string B(bool? b) => b is null ? "null" : b.Value ? "true" : "false";
        foreach (var n in Nodes) sb.Append($"---\napiVersion: v1\nkind: Node\nmetadata: {{name: {n}, labels: {{topology.kubernetes.io/zone: zone-{n}}}}}\n");
        foreach (var ns in Namespaces) sb.Append($"---\napiVersion: v1\nkind: Namespace\nmetadata: {{name: {ns}}}\n");
        foreach (var s in Services)
        {
            sb.Append($"---\napiVersion: v1\nkind: Service\nmetadata: {{name: {s.Name}, namespace: {s.Namespace}}}\nspec:\n");
            if (s.Kind == "ExternalName") { sb.Append($"  type: ExternalName\n  externalName: {s.ExternalName}\n"); continue; }
            sb.Append($"  type: {s.Kind}\n  clusterIPs: [{string.Join(", ", s.ClusterIPs.Select(Q))}]\n");
            if (s.ClusterIPs.Count == 2) sb.Append("  ipFamilyPolicy: RequireDualStack\n  ipFamilies: [IPv4, IPv6]\n");
            if (s.ClientIp) sb.Append("  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}\n");
            if (s.LocalInternal) sb.Append("  internalTrafficPolicy: Local\n");
            if (s.LocalExternal && s.Kind is "NodePort" or "LoadBalancer") sb.Append("  externalTrafficPolicy: Local\n");
            if (s.Ports.Count > 0)
            {
                sb.Append("  ports:\n");
                foreach (var p in s.Ports)
                    sb.Append($"  - {{{(p.Name is null ? "" : $"name: {p.Name}, ")}port: {p.Port}, protocol: {p.Protocol}{(p.NodePort is int np ? $", nodePort: {np}" : "")}}}\n");
            }
            if (s.LoadBalancerIp is not null) sb.Append($"status:\n  loadBalancer:\n    ingress: [{{ip: {s.LoadBalancerIp}}}]\n");
            if (s.Endpoints.Count == 0 && s.Kind != "None") continue;
            foreach (var family in new[] { "IPv4", "IPv6" })
            {
                var eps = s.Endpoints.Where(e => e.Ip.Contains(':') == (family == "IPv6")).ToList();
                if (eps.Count == 0) continue;
                sb.Append($"---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {{name: {s.Name}-{family.ToLowerInvariant()}, namespace: {s.Namespace}, labels: {{kubernetes.io/service-name: {s.Name}}}}}\naddressType: {family}\n");
                sb.Append("ports: [" + string.Join(", ", s.Ports.Select(p => $"{{{(p.Name is null ? "" : $"name: {p.Name}, ")}port: {p.Port + 8000}, protocol: {p.Protocol}}}")) + "]\nendpoints:\n");
                foreach (var e in eps)
                {
                    sb.Append($"- addresses: [{Q(e.Ip)}]\n  conditions: {{ready: {B(e.Ready)}, serving: {B(e.Serving)}, terminating: {B(e.Terminating)}}}\n");
                    if (e.Node is not null) sb.Append($"  nodeName: {e.Node}\n");
                    if (e.Hostname is not null) sb.Append($"  hostname: {e.Hostname}\n");
                    if (e.ZoneHint is not null) sb.Append($"  hints: {{forZones: [{{name: {e.ZoneHint}}}]}}\n");
                    if (e.PodName is not null) sb.Append($"  targetRef: {{kind: Pod, name: {e.PodName}, namespace: {s.Namespace}}}\n");
                }
            }
        }
        foreach (var p in Pods)
            sb.Append($"---\napiVersion: v1\nkind: Pod\nmetadata: {{name: {p.Name}, namespace: {p.Namespace}{(p.Deleting ? ", deletionTimestamp: \"2026-01-01T00:00:00Z\"" : "")}}}\nspec: {{containers: [{{name: c}}]}}\nstatus: {{phase: Running, podIP: {Q(p.Ip)}, conditions: [{{type: Ready, status: \"True\"}}]}}\n");
        return sb.ToString();
    }

    /// <summary>Smaller clusters that may still fail: one service, endpoint, pod or option fewer.</summary>
    public IEnumerable<ClusterSpec> Shrink()
    {
        for (int i = 0; i < Services.Count; i++) yield return this with { Services = Services.Where((_, k) => k != i).ToList() };
        for (int i = 0; i < Services.Count; i++)
            for (int e = 0; e < Services[i].Endpoints.Count; e++)
            {
                int si = i, ei = e;
                yield return this with { Services = Services.Select((s, k) => k != si ? s : s with { Endpoints = s.Endpoints.Where((_, j) => j != ei).ToList() }).ToList() };
            }
        for (int i = 0; i < Pods.Count; i++) yield return this with { Pods = Pods.Where((_, k) => k != i).ToList() };
        var c = Corefile;
        if (c.LoadBalance) yield return this with { Corefile = c with { LoadBalance = false } };
        if (c.IgnoreEmpty) yield return this with { Corefile = c with { IgnoreEmpty = false } };
        if (c.Namespaces.Count > 0) yield return this with { Corefile = c with { Namespaces = [] } };
        if (c.Fallthrough) yield return this with { Corefile = c with { Fallthrough = false } };
        if (c.EndpointPodNames) yield return this with { Corefile = c with { EndpointPodNames = false } };
    }
}
