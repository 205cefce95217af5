using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using FastPath.Model.Corefile;
using FastPath.Model.Corefile.Plugins;
using FastPath.Model.Net;

namespace FastPath.Model.Planning;

/// <summary>
/// Plans a cluster's DNS at build time: enumerates every name the kubernetes plugin answers (apexes, namespaces,
/// services, port and protocol names, endpoint names, verified pods, reverse names) and computes each one's answer
/// for every question class. Names not in the plan are answered by rule at run time (NXDOMAIN, or NODATA for SOA,
/// pods in insecure mode).
/// </summary>
public sealed partial class DnsPlanner
{
    private readonly PlannerView _v;
    private readonly KubernetesOptions _k;
    private readonly IReadOnlyList<IPAddress> _dnsIps;
    private readonly uint _serial;
    private readonly uint _ttl;

    private DnsPlanner(Cluster cluster, KubernetesOptions k, IReadOnlyList<IPAddress> dnsIps)
    {
        _v = new PlannerView(cluster, k);
        _k = k;
        _dnsIps = dnsIps;
        _ttl = (uint)k.Ttl;
        _serial = uint.Parse(cluster.ContentHash.Substring(0, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    /// <summary>Plans the cluster; <paramref name="dnsIps"/> are the server's own addresses (null: kube-dns's endpoints).</summary>
    public static DnsPlan Plan(Cluster cluster, IReadOnlyList<IPAddress>? dnsIps = null)
    {
        var block = cluster.Corefile.KubernetesBlock;
        var routes = Routes(cluster.Corefile);
        if (block is null)
            return new DnsPlan([], [], routes, 0, false, null, [], []);
        var p = block.Plugins;
        string? fallback = p.Rewrite is not null ? "the rewrite plugin" : p.Autopath is not null ? "the autopath plugin" : p.Hosts is not null ? "the hosts plugin" : null;
        var planner = new DnsPlanner(cluster, p.Kubernetes!, dnsIps ?? ServerAddresses.Default(cluster));
        return planner.Build(routes, p.LoadBalance is not null, fallback);
    }

    private static List<PlanRoute> Routes(CorefileConfig corefile)
    {
        var routes = new List<PlanRoute>();
        foreach (var b in corefile.ServerBlocks)
            foreach (var key in b.Keys)
            {
                if (routes.Any(r => r.Zone == key.Zone)) continue; // the first block for a zone serves it
                var f = b.Plugins.Forward;
                bool lb = b.Plugins.LoadBalance is not null, k8s = b.Plugins.Kubernetes is not null;
                routes.Add(f is null
                    ? new PlanRoute(key.Zone, RouteKind.ServFail, [], ".", [], lb, k8s)
                    : new PlanRoute(key.Zone, RouteKind.Forward, f.To, f.From, f.Except, lb, k8s));
            }
        return routes.OrderBy(r => r.Zone, StringComparer.Ordinal).ToList();
    }

    private DnsPlan Build(List<PlanRoute> routes, bool loadBalance, string? fallback)
    {
        var zones = _k.Zones.Select(z => new PlanZone(z, ZoneName.IsReverse(z), _ttl, _serial, false)).ToList();
        var entries = new SortedDictionary<string, PlanEntry>(StringComparer.Ordinal);
        for (int zi = 0; zi < zones.Count; zi++)
        {
            var z = zones[zi].Name;
            foreach (var (name, source) in Names(z, zones[zi].IsReverse))
            {
                // The longest configured zone owns a name; skip names another zone takes.
                if (ZoneName.LongestMatch(_k.Zones, name) != z || entries.ContainsKey(name)) continue;
                var entry = Entry(name, zi, z, source);
                if (entry is not null) entries[name] = entry;
            }
        }
        // fallthrough with no zones means every zone: the root stands for that.
        IReadOnlyList<string> fall = _k.Fallthrough is null ? [] : _k.Fallthrough.Count == 0 ? ["."] : _k.Fallthrough;
        return new DnsPlan(zones, entries.Values.ToList(), routes, _k.Pods, loadBalance, fallback, _v.Exposed, fall);
    }

    /// <summary>Candidate names in a zone, each with where it comes from (for the generated code's comments).</summary>
    private IEnumerable<(string Name, string Source)> Names(string z, bool reverse)
    {
        yield return (z, "zone apex");
        if (reverse)
        {
            foreach (var (ip, source) in ReverseCandidates())
                yield return (ReverseNameOf(ip), source);
            yield break;
        }
        if (z != ".") { yield return ("dns-version." + z, "schema version"); yield return ("ns.dns." + z, "name server"); }
        yield return ("svc." + z, "service subtree");
        yield return ("pod." + z, "pod subtree");
        foreach (var ns in _v.Exposed)
        {
            yield return ($"{ns}.svc.{z}", "Namespace " + ns);
            if (_k.Pods != PodMode.Disabled) yield return ($"{ns}.pod.{z}", "Namespace " + ns);
        }
        foreach (var s in _v.Cluster.Services.Where(s => _v.IsExposed(s.Namespace)))
        {
            string src = $"Service {s.Meta.Key}" + Where(s.Meta);
            string bas = $"{s.Name}.{s.Namespace}.svc.{z}";
            yield return (bas, src);
            var slices = _v.SlicesOf(s);
            var portNames = s.Ports.Select(p => p.Name ?? "").Concat(slices.SelectMany(sl => sl.Ports.Select(p => p.Name ?? ""))).Where(n => n.Length > 0).Distinct().Append("_");
            var protos = s.Ports.Select(p => p.Protocol).Concat(slices.SelectMany(sl => sl.Ports.Select(p => p.Protocol))).Where(n => n.Length > 0)
                .Select(p => p.ToLowerInvariant()).Distinct().Append("_");
            foreach (var port in portNames)
                foreach (var proto in protos)
                    foreach (var pl in Underscored(port))
                        foreach (var rl in Underscored(proto))
                            yield return ($"{pl}.{rl}.{bas}", src);
            foreach (var sl in slices)
                foreach (var (e, ip) in sl.Ready)
                {
                    var epName = _v.NameOf(e, ip).ToLowerInvariant();
                    if (epName.Length > 0 && epName.Length <= 63) yield return ($"{epName}.{bas}", src + " endpoint " + ip);
                }
        }
        if (_k.Pods == PodMode.Verified)
            foreach (var pod in WatchedPods())
            {
                var ip = pod.PodIPs[0];
                var dashed = ip.Replace(ip.IndexOf(':') >= 0 ? ':' : '.', '-');
                yield return ($"{dashed}.{pod.Namespace}.pod.{z}", $"Pod {pod.Meta.Key}" + Where(pod.Meta));
            }
    }

    private static string Where(ObjectMeta m) => m.Location is null ? "" : $" ({m.Location.Path}:{m.Location.Line})";

    /// <summary>
    /// The canonical spelling of a port or protocol label: with its underscore ("_" alone matches any). Spellings
    /// without underscores are brought to this form by the engine at run time.
    /// </summary>
    private static IEnumerable<string> Underscored(string label) => label == "_" ? ["_"] : ["_" + label];

    internal IEnumerable<Pod> WatchedPods() => _v.Cluster.Pods.Where(p => !p.IsDeleting && p.Phase is not ("Succeeded" or "Failed" or "Unknown") && p.PodIPs.Count > 0);

    private IEnumerable<(string Ip, string Source)> ReverseCandidates()
    {
        foreach (var s in _v.Cluster.Services)
            foreach (var ip in s.ClusterIPs)
                if (IpText.IsValid(ip)) yield return (ip, $"Service {s.Meta.Key} clusterIP");
        foreach (var list in _v.Slices.Values)
            foreach (var sl in list)
                foreach (var (_, ip) in sl.Ready)
                    if (IpText.IsValid(ip)) yield return (ip, $"endpoint of {sl.Namespace}/{sl.Service}");
    }

    internal static string ReverseNameOf(string ipText)
    {
        IpText.TryParse(ipText, out var ip);
        var b = ip.GetAddressBytes();
        if (b.Length == 4) return $"{b[3]}.{b[2]}.{b[1]}.{b[0]}.in-addr.arpa.";
        var parts = new List<string>();
        for (int i = 15; i >= 0; i--) { parts.Add((b[i] & 0xF).ToString("x", CultureInfo.InvariantCulture)); parts.Add((b[i] >> 4).ToString("x", CultureInfo.InvariantCulture)); }
        return string.Join(".", parts) + ".ip6.arpa.";
    }
}
