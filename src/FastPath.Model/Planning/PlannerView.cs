using System;
using System.Collections.Generic;
using System.Linq;
using FastPath.Model.Corefile.Plugins;
using FastPath.Model.Net;

namespace FastPath.Model.Planning;

/// <summary>
/// The cluster as the planner reads it: ready endpoint addresses per service (CoreDNS reads only conditions.ready),
/// exposed namespaces, watched pods. Kept apart from the reference interpreter on purpose: the property tests
/// compare two independent readings of the same model.
/// </summary>
internal sealed class PlannerView
{
    public PlannerView(Cluster cluster, KubernetesOptions k)
    {
        Cluster = cluster;
        K = k;
        foreach (var slice in cluster.EndpointSlices)
        {
            if (slice.ServiceName is null || k.NoEndpoints) continue;
            var key = slice.Namespace + "/" + slice.ServiceName;
            if (!Slices.TryGetValue(key, out var list)) Slices[key] = list = new List<SliceView>();
            var view = new SliceView(slice);
            list.Add(view);
            AllSlices.Add(view);
        }
        Exposed = cluster.Namespaces.Where(ns => k.Namespaces.Count == 0 || k.Namespaces.Contains(ns)).ToList();
        _exposed = new HashSet<string>(Exposed, StringComparer.Ordinal);
        bool restricted = k.Namespaces.Count > 0;
        // Reverse lookups: the first service holding an IP, and every ready endpoint with it (in the informer's order).
        foreach (var s in cluster.Services)
            if (!restricted || IsExposed(s.Namespace))
                foreach (var ip in s.ClusterIPs)
                    if (!ServiceByIp.ContainsKey(ip)) ServiceByIp[ip] = s;
        foreach (var sl in AllSlices)
            if (!restricted || IsExposed(sl.Namespace))
                foreach (var (e, ip) in sl.Ready)
                {
                    if (!EndpointsByIp.TryGetValue(ip, out var list)) EndpointsByIp[ip] = list = new List<(SliceView, Endpoint)>();
                    list.Add((sl, e));
                }
    }

    private readonly HashSet<string> _exposed;
    public Dictionary<string, Service> ServiceByIp { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, List<(SliceView Slice, Endpoint Endpoint)>> EndpointsByIp { get; } = new(StringComparer.Ordinal);

    public Cluster Cluster { get; }
    public KubernetesOptions K { get; }
    public IEnumerable<Service> Services => Cluster.Services;
    public IEnumerable<Pod> Pods => Cluster.Pods;
    public Service? FindService(string ns, string name) => Cluster.FindService(ns, name);

    /// <summary>Watched pods (not deleting, not finished, with an address) whose first address is <paramref name="ip"/>.</summary>
    public IReadOnlyList<Pod> PodsWithIp(string ip)
    {
        if (_podsByIp is null)
        {
            _podsByIp = new Dictionary<string, List<Pod>>(StringComparer.Ordinal);
            foreach (var p in Cluster.Pods)
            {
                if (p.IsDeleting || p.Phase is "Succeeded" or "Failed" or "Unknown" || p.PodIPs.Count == 0) continue;
                if (!_podsByIp.TryGetValue(p.PodIPs[0], out var list)) _podsByIp[p.PodIPs[0]] = list = new List<Pod>();
                list.Add(p);
            }
        }
        return _podsByIp.TryGetValue(ip, out var found) ? found : (IReadOnlyList<Pod>)Array.Empty<Pod>();
    }

    private Dictionary<string, List<Pod>>? _podsByIp;
    public Dictionary<string, List<SliceView>> Slices { get; } = new(StringComparer.Ordinal);
    /// <summary>Every slice in the cluster's order (namespace/name), as the informer lists them.</summary>
    public List<SliceView> AllSlices { get; } = new();
    public IReadOnlyList<string> Exposed { get; }

    public bool IsExposed(string ns) => _exposed.Contains(ns);

    public IReadOnlyList<SliceView> SlicesOf(Service s) => Slices.TryGetValue(s.Meta.Key, out var l) ? l : (IReadOnlyList<SliceView>)Array.Empty<SliceView>();

    /// <summary>hostname, else the pod name with endpoint_pod_names (names of 64+ characters are not labels), else the dashed IP.</summary>
    public string NameOf(Endpoint e, string ip)
    {
        if (!string.IsNullOrEmpty(e.Hostname)) return e.Hostname!;
        if (K.EndpointPodNames && e.TargetRef?.Name is { Length: > 0 and < 64 } pod) return pod;
        if (ip.IndexOf('.') >= 0) return ip.Replace('.', '-');
        if (ip.IndexOf(':') >= 0) { var d = ip.Replace(':', '-'); return d.EndsWith("-", StringComparison.Ordinal) ? d + "0" : d; }
        return "";
    }
}

/// <summary>One slice: its ports (or the -1 sentinel) and its ready addresses with their names.</summary>
internal sealed class SliceView
{
    public SliceView(EndpointSlice s)
    {
        Ports = s.Ports.Count == 0 ? new[] { new EndpointPort(null, -1, "") } : s.Ports.ToArray();
        Ready = s.Endpoints.Where(e => e.Ready ?? true).SelectMany(e => e.Addresses.Select(a => (e, a))).ToList();
        Namespace = s.Namespace;
        Service = s.ServiceName!;
    }

    public IReadOnlyList<EndpointPort> Ports { get; }
    public IReadOnlyList<(Endpoint Endpoint, string Ip)> Ready { get; }
    public string Namespace { get; }
    public string Service { get; }
}
