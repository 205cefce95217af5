using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using FastPath.Model.Corefile.Plugins;

namespace FastPath.Model.Planning;

/// <summary>
/// The cluster as the planner reads it: ready endpoint addresses per service (CoreDNS reads only conditions.ready),
/// exposed namespaces, watched pods, and the reverse indexes PTR answers need. Kept apart from the reference
/// interpreter on purpose: the property tests compare two independent readings of the same model.
/// <para>
/// A live cluster keeps one view and replaces one Service (with its slices) at a time
/// (<see cref="ReplaceService"/>); the indexes keep the order a full build gives (services and slices by
/// namespace/name), so an incrementally updated view plans exactly as a fresh one.
/// </para>
/// </summary>
internal sealed class PlannerView
{
    private static readonly IComparer<Service> ByServiceKey = Comparer<Service>.Create((a, b) => string.CompareOrdinal(a.Meta.Key, b.Meta.Key));
    private static readonly IComparer<(SliceView Slice, Endpoint Endpoint)> BySliceKey =
        Comparer<(SliceView Slice, Endpoint Endpoint)>.Create((a, b) => string.CompareOrdinal(a.Slice.Key, b.Slice.Key));

    private readonly HashSet<string> _exposed;
    private readonly bool _restricted;
    // By (namespace, name): a lookup per planned name must not concatenate a key string.
    private readonly Dictionary<(string Ns, string Name), Service> _services = new();
    private readonly Dictionary<string, List<Service>> _servicesByIp = new(StringComparer.Ordinal);
    private Dictionary<string, List<Pod>>? _podsByIp;

    public PlannerView(Cluster cluster, KubernetesOptions k)
    {
        Cluster = cluster;
        K = k;
        Exposed = cluster.Namespaces.Where(ns => k.Namespaces.Count == 0 || k.Namespaces.Contains(ns)).ToList();
        _exposed = new HashSet<string>(Exposed, StringComparer.Ordinal);
        _restricted = k.Namespaces.Count > 0;
        foreach (var slice in cluster.EndpointSlices)
        {
            if (slice.ServiceName is null || k.NoEndpoints) continue;
            var key = slice.Namespace + "/" + slice.ServiceName;
            if (!Slices.TryGetValue(key, out var list)) _slicesOf[(slice.Namespace, slice.ServiceName)] = Slices[key] = list = new List<SliceView>();
            var view = new SliceView(slice, this);
            list.Add(view);
            AllSlices.Add(view);
        }
        // Reverse lookups: the first service holding an IP, and every ready endpoint with it (in the informer's order).
        foreach (var s in cluster.Services)
        {
            _services[(s.Namespace, s.Name)] = s;
            if (!_restricted || IsExposed(s.Namespace))
                foreach (var ip in s.ClusterIPs)
                {
                    if (!_servicesByIp.TryGetValue(ip, out var holders)) _servicesByIp[ip] = holders = new List<Service>(1);
                    holders.Add(s);
                }
        }
        int ready = 0;
        foreach (var sl in AllSlices) ready += sl.Ready.Length;
        EndpointsByIp = new Dictionary<string, EndpointsAt>(ready, StringComparer.Ordinal); // sized once: its doublings were 12 MB at 100,000 endpoints
        foreach (var sl in AllSlices) IndexEndpoints(sl, add: true);
    }

    public Cluster Cluster { get; }
    public KubernetesOptions K { get; }
    /// <summary>The ready endpoints holding each address (usually one, held inline): kept for the live table's lifetime.</summary>
    public Dictionary<string, EndpointsAt> EndpointsByIp { get; }
    public Dictionary<string, List<SliceView>> Slices { get; } = new(StringComparer.Ordinal);
    /// <summary>Every slice of the cluster it was built from, in the cluster's order (namespace/name), as the informer lists them.</summary>
    public List<SliceView> AllSlices { get; } = new();
    public IReadOnlyList<string> Exposed { get; }
    public IEnumerable<Service> Services => Cluster.Services;
    public IEnumerable<Pod> Pods => Cluster.Pods;

    public bool IsExposed(string ns) => _exposed.Contains(ns);
    public Service? FindService(string ns, string name) => _services.TryGetValue((ns, name), out var s) ? s : null;

    /// <summary>The first service (by namespace/name) holding the clusterIP, or null.</summary>
    public Service? ServiceWithIp(string ip) => _servicesByIp.TryGetValue(ip, out var l) && l.Count > 0 ? l[0] : null;

    /// <summary>A Service's slices; a List (not an interface) so callers' foreach does not box an enumerator per name.</summary>
    public List<SliceView> SlicesOf(Service s) => _slicesOf.TryGetValue((s.Namespace, s.Name), out var l) ? l : NoSlices;

    // The lists of Slices by (namespace, service name): Service.Meta.Key builds a new string on every read.
    private readonly Dictionary<(string Ns, string Name), List<SliceView>> _slicesOf = new();

    private static readonly List<SliceView> NoSlices = new(0);

    private Service? FindByKey(string key) => _services.TryGetValue(Split(key), out var s) ? s : null;

    private static (string Ns, string Name) Split(string key)
    {
        int slash = key.IndexOf('/');
        return (key.Substring(0, slash), key.Substring(slash + 1));
    }

    /// <summary>Watched pods (not deleting, not finished, with an address) whose first address is <paramref name="ip"/>.</summary>
    public IReadOnlyList<Pod> PodsWithIp(string ip)
    {
        // Made on first use; two planners of one split build may ask at once, and either's index is the same.
        var byIp = Volatile.Read(ref _podsByIp);
        if (byIp is null)
        {
            byIp = new Dictionary<string, List<Pod>>(StringComparer.Ordinal);
            foreach (var p in Cluster.Pods)
            {
                if (p.IsDeleting || p.Phase is "Succeeded" or "Failed" or "Unknown" || p.PodIPs.Count == 0) continue;
                if (!byIp.TryGetValue(p.PodIPs[0], out var list)) byIp[p.PodIPs[0]] = list = new List<Pod>();
                list.Add(p);
            }
            byIp = Interlocked.CompareExchange(ref _podsByIp, byIp, null) ?? byIp;
        }
        return byIp.TryGetValue(ip, out var found) ? found : (IReadOnlyList<Pod>)Array.Empty<Pod>();
    }

    /// <summary>
    /// Replaces one Service and its slices (either may be absent). Returns every clusterIP and ready endpoint address
    /// it held before or holds now: the reverse names whose answers may have changed.
    /// </summary>
    public HashSet<string> ReplaceService(string key, Service? service, IReadOnlyList<EndpointSlice> slices)
    {
        var touched = new HashSet<string>(StringComparer.Ordinal);
        if (FindByKey(key) is { } old)
        {
            foreach (var ip in old.ClusterIPs)
            {
                touched.Add(ip);
                if (_servicesByIp.TryGetValue(ip, out var holders) && holders.Remove(old) && holders.Count == 0) _servicesByIp.Remove(ip);
            }
            _services.Remove((old.Namespace, old.Name));
        }
        if (Slices.TryGetValue(key, out var oldSlices))
        {
            foreach (var sl in oldSlices)
            {
                foreach (var (_, ip) in sl.Ready) touched.Add(ip);
                IndexEndpoints(sl, add: false);
            }
            Slices.Remove(key);
            _slicesOf.Remove(Split(key));
        }
        if (service is not null)
        {
            _services[(service.Namespace, service.Name)] = service;
            if (!_restricted || IsExposed(service.Namespace))
                foreach (var ip in service.ClusterIPs)
                {
                    touched.Add(ip);
                    if (!_servicesByIp.TryGetValue(ip, out var holders)) _servicesByIp[ip] = holders = new List<Service>(1);
                    int at = holders.BinarySearch(service, ByServiceKey);
                    holders.Insert(at < 0 ? ~at : at, service);
                }
        }
        if (!K.NoEndpoints && slices.Count > 0)
        {
            var list = new List<SliceView>(slices.Count);
            foreach (var s in slices.OrderBy(s => s.Meta.Key, StringComparer.Ordinal))
            {
                var view = new SliceView(s, this);
                list.Add(view);
                foreach (var (_, ip) in view.Ready) touched.Add(ip);
                IndexEndpoints(view, add: true);
            }
            _slicesOf[Split(key)] = Slices[key] = list;
        }
        return touched;
    }

    private void IndexEndpoints(SliceView sl, bool add)
    {
        if (_restricted && !IsExposed(sl.Namespace)) return;
        foreach (var (e, ip) in sl.Ready)
        {
            bool held = EndpointsByIp.TryGetValue(ip, out var found);
            if (!add)
            {
                if (!held) continue;
                if (found.Count == 1 && ReferenceEquals(found[0].Slice, sl)) { EndpointsByIp.Remove(ip); continue; } // the usual case, no list
                var kept = new List<(SliceView, Endpoint)>(found.Count);
                for (int i = 0; i < found.Count; i++) if (!ReferenceEquals(found[i].Slice, sl)) kept.Add(found[i]);
                if (kept.Count == 0) EndpointsByIp.Remove(ip);
                else EndpointsByIp[ip] = EndpointsAt.Of(kept);
                continue;
            }
            if (!held) { EndpointsByIp[ip] = new EndpointsAt((sl, e), null); continue; }
            // After every entry of an earlier or the same slice: the informer's order, endpoints in slice order.
            var list = new List<(SliceView, Endpoint)>(found.Count + 1);
            for (int i = 0; i < found.Count; i++) list.Add(found[i]);
            int at = list.Count;
            while (at > 0 && string.CompareOrdinal(list[at - 1].Item1.Key, sl.Key) > 0) at--;
            list.Insert(at, (sl, e));
            EndpointsByIp[ip] = EndpointsAt.Of(list);
        }
    }

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

/// <summary>
/// The ready endpoints holding one address, in the informer's order: the first inline (an address nearly always has
/// one), any others in an array. An array per address was 40 bytes kept for each of a live cluster's endpoints.
/// </summary>
internal readonly struct EndpointsAt((SliceView Slice, Endpoint Endpoint) first, (SliceView Slice, Endpoint Endpoint)[]? rest)
{
    private readonly (SliceView Slice, Endpoint Endpoint) _first = first;
    private readonly (SliceView Slice, Endpoint Endpoint)[]? _rest = rest;

    public int Count => 1 + (_rest?.Length ?? 0);
    public (SliceView Slice, Endpoint Endpoint) this[int i] => i == 0 ? _first : _rest![i - 1];

    /// <summary>At least one endpoint, in order.</summary>
    public static EndpointsAt Of(List<(SliceView, Endpoint)> all) =>
        new(all[0], all.Count == 1 ? null : all.GetRange(1, all.Count - 1).ToArray());
}

/// <summary>One slice: its ports (or the -1 sentinel) and its ready addresses with their names.</summary>
internal sealed class SliceView
{
    private readonly PlannerView _view;
    private string[]? _names;

    public SliceView(EndpointSlice s, PlannerView v)
    {
        _view = v;
        Ports = s.Ports.Count == 0 ? new[] { new EndpointPort(null, -1, "") } : s.Ports.ToArray();
        // Indexed loops: a foreach over the model's interfaces made an enumerator per endpoint (100,000 per full build).
        var endpoints = s.Endpoints;
        int n = 0;
        for (int k = 0; k < endpoints.Count; k++)
            if (endpoints[k].Ready ?? true) n += endpoints[k].Addresses.Count;
        Ready = new (Endpoint, string)[n];
        int i = 0;
        for (int k = 0; k < endpoints.Count; k++)
        {
            var e = endpoints[k];
            if (!(e.Ready ?? true)) continue;
            for (int a = 0; a < e.Addresses.Count; a++) Ready[i++] = (e, e.Addresses[a]);
        }
        Namespace = s.Namespace;
        Service = s.ServiceName!;
        Key = s.Meta.Key;
    }

    // Arrays, not interfaces: the planner walks them once per planned name.
    public EndpointPort[] Ports { get; }
    public (Endpoint Endpoint, string Ip)[] Ready { get; }

    /// <summary>
    /// The DNS name of each ready address (see <see cref="PlannerView.NameOf"/>), by the same index; made when first
    /// read (a headless Service's planning reads them once per endpoint name).
    /// </summary>
    public string[] Names => _names ??= MakeNames();

    /// <summary>The names if they are made (and not yet released), else null.</summary>
    public string[]? MadeNames => _names;

    /// <summary>
    /// Drops the names once a plan is made: a live cluster keeps the view for its updates, which read only the changed
    /// Service's names again (a dashed address per endpoint was about 50 bytes each, kept for nothing).
    /// </summary>
    public void ReleaseNames() => _names = null;

    private string[] MakeNames()
    {
        var names = new string[Ready.Length];
        for (int i = 0; i < names.Length; i++) names[i] = _view.NameOf(Ready[i].Endpoint, Ready[i].Ip);
        return names;
    }

    public string Namespace { get; }
    public string Service { get; }
    /// <summary>namespace/name: the order the informer lists slices in.</summary>
    public string Key { get; }
}
