using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using FastPath.Model.Corefile;
using FastPath.Model.Corefile.Plugins;
using FastPath.Model.Net;
using FastPath.Model.Tables;

namespace FastPath.Model.Planning;

/// <summary>
/// Plans a cluster's DNS at build time: enumerates every name the kubernetes plugin answers (apexes, namespaces,
/// services, port and protocol names, endpoint names, verified pods, reverse names) and computes each one's answer
/// for every question class. Names not in the plan are answered by rule at run time (NXDOMAIN, or NODATA for SOA,
/// pods in insecure mode).
/// </summary>
public sealed partial class DnsPlanner
{
    private readonly PlannerView _view;
    private readonly KubernetesOptions _options;
    private readonly IReadOnlyList<IPAddress> _dnsIps;
    private readonly uint _serial;
    private readonly uint _ttl;

    private readonly AnswerStore _store;
    private readonly SetTable _sets;
    private readonly bool _loadBalance;
    // How many names the cluster plans, as StoreFor counts them: the entry list and name set are sized once.
    private readonly int _nameEstimate;
    // From how many names a full build is split between two planners (DnsPlanner.Split.cs).
    private readonly int _splitFrom;

    private DnsPlanner(Cluster cluster, KubernetesOptions k, IReadOnlyList<IPAddress> dnsIps, bool loadBalance, int splitFrom)
    {
        _splitFrom = splitFrom;
        _loadBalance = loadBalance;
        _view = new PlannerView(cluster, k);
        _store = StoreFor(_view, out int names);
        _nameEstimate = names;
        _addresses = new Dictionary<string, byte[]?>(names / 2, StringComparer.Ordinal);
        _sets = new SetTable(names);
        _options = k;
        _dnsIps = dnsIps;
        _ttl = (uint)k.Ttl;
        _serial = uint.Parse(cluster.ContentHash.Substring(0, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    /// <summary>Plans the cluster; <paramref name="dnsIps"/> are the server's own addresses (null: kube-dns's endpoints).</summary>
    public static DnsPlan Plan(Cluster cluster, IReadOnlyList<IPAddress>? dnsIps = null) => Plan(cluster, dnsIps, SplitFromNames);

    /// <summary><see cref="Plan(Cluster, IReadOnlyList{IPAddress}?)"/>, split between two planners from <paramref name="splitFrom"/> names (tests force it).</summary>
    internal static DnsPlan Plan(Cluster cluster, IReadOnlyList<IPAddress>? dnsIps, int splitFrom)
    {
        var block = cluster.Corefile.KubernetesBlock;
        var routes = Routes(cluster.Corefile);
        var plugins = PlanPlugins(cluster, routes);
        if (block is null)
            return new DnsPlan([], [], routes, 0, false, [], [], new AnswerStore(), new SetTable()) { Plugins = plugins };
        var p = block.Plugins;
        var planner = new DnsPlanner(cluster, p.Kubernetes!, dnsIps ?? ServerAddresses.Default(cluster), p.LoadBalance is not null, splitFrom);
        return planner.Build(routes) with { Plugins = plugins };
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

    private DnsPlan Build(List<PlanRoute> routes)
    {
        var zones = _options.Zones.Select(z => new PlanZone(z, ZoneName.IsReverse(z), _ttl, _serial, false)).ToList();
        // Entries in the order names are met (the cluster's sorted order): answers are encoded as each name is planned.
        var entries = new List<PlanEntry>(_nameEstimate);
        if (SplitPoint() is { } cut)
        {
            // A second planner takes the names from the cut on, on another thread; its entries and answers are then
            // appended to this planner's (see DnsPlanner.Split.cs).
            var second = new DnsPlanner(this, _nameEstimate - cut.NamesBefore);
            var theirs = Task.Run(() => second.PlanNames(cut.At, NamePosition.End));
            PlanNames(NamePosition.Start, cut.At, entries, NameSet(cut.NamesBefore));
            Join(second, theirs.GetAwaiter().GetResult(), entries);
        }
        else PlanNames(NamePosition.Start, NamePosition.End, entries, NameSet(_nameEstimate));
        // fallthrough with no zones means every zone: the root stands for that.
        IReadOnlyList<string> fall = _options.Fallthrough is null ? [] : _options.Fallthrough.Count == 0 ? ["."] : _options.Fallthrough;
        // The address cache pays while every address is read many times; a live update re-plans one Service and reads
        // its few addresses again, so the full build's cache (an entry and an array per address) is not kept.
        _addresses = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        return new DnsPlan(zones, entries, routes, _options.Pods, _loadBalance, _view.Exposed, fall, _store, _sets);
    }

    /// <summary>The names a planner has met (a name is planned once), sized for about <paramref name="names"/>.</summary>
    private static HashSet<string> NameSet(int names) =>
#if NET
        new(names, StringComparer.Ordinal);
#else
        new(StringComparer.Ordinal); // netstandard2.0 has no sized constructor
#endif

    /// <summary>Plans, in order, every candidate name from <paramref name="from"/> up to <paramref name="to"/>.</summary>
    private void PlanNames(NamePosition from, NamePosition to, List<PlanEntry> entries, HashSet<string> seen)
    {
        for (int zi = from.Zone; zi < _options.Zones.Count && zi <= to.Zone; zi++)
        {
            var z = _options.Zones[zi];
            int first = zi == from.Zone ? from.Service : 0, end = zi == to.Zone ? to.Service : int.MaxValue;
            foreach (var c in Names(z, ZoneName.IsReverse(z), first, end))
            {
                // The longest configured zone owns a name; skip names another zone takes.
                if (!Owns(z, c.Name) || !seen.Add(c.Name)) continue;
                if (Entry(c, zi, z) is { } entry) entries.Add(entry);
            }
        }
    }

    /// <summary>
    /// A store sized for the cluster, so the buffers are not grown by doubling (at 10,000 Services the copies were as
    /// large as the final buffers). Names are counted as the planner makes them (a Service, its port/protocol spellings,
    /// its clusterIPs' reverse names; an endpoint's name and reverse name); answers and bytes per name are what the
    /// synthetic clusters of the benchmarks use (1.25 and ~100): an estimate, past which the store still grows.
    /// </summary>
    private static AnswerStore StoreFor(PlannerView v, out int estimate)
    {
        long names = 8;
        foreach (var s in v.Cluster.Services) names += 2 + 2 * (s.Ports.Count + 1) + s.ClusterIPs.Count;
        foreach (var sl in v.AllSlices) names += 2L * sl.Ready.Length;
        estimate = (int)Math.Min(names, 1 << 22);
        return StoreFor(estimate);
    }

    /// <summary>A store for about <paramref name="names"/> names: 1.25 answers and ~100 bytes each (see above).</summary>
    private static AnswerStore StoreFor(int names) => new(names + names / 4, names * 100);

    /// <summary>Whether <paramref name="z"/> is the longest configured zone holding the name.</summary>
    private bool Owns(string z, string name) => _options.Zones.Count == 1 ? ZoneName.IsSubdomain(z, name) : LongestZone(name) == z;

    /// <summary>The longest configured zone holding the name (CoreDNS's plugin.Zones.Matches), or null.</summary>
    private string? LongestZone(string name)
    {
        string? best = null;
        for (int i = 0; i < _options.Zones.Count; i++)
        {
            var z = _options.Zones[i];
            if (ZoneName.IsSubdomain(z, name) && (best is null || z.Length > best.Length)) best = z;
        }
        return best;
    }

    /// <summary>A name to plan: where it comes from, and its labels when the planner made it from a Service (no parse needed).</summary>
    internal readonly struct Candidate(string name, string source, string? endpoint = null, Request? known = null, bool reverse = false, string? ip = null)
    {
        public readonly string Name = name, Source = source;
        public readonly string? Endpoint = endpoint;
        /// <summary>For a reverse name: the address it was made from, as the object spells it.</summary>
        public readonly string? Ip = ip;
        public readonly Request? Known = known;
        /// <summary>A full in-addr.arpa or ip6.arpa name: the kubernetes plugin has no records there, only PTR.</summary>
        public readonly bool Reverse = reverse;
    }

    /// <summary>
    /// Candidate names in a zone, each with where it comes from (for the generated code's comments): in a forward zone
    /// the zone's own names when <paramref name="first"/> is 0, the names of Services <paramref name="first"/> up to
    /// <paramref name="end"/> (by index), and the pods' names when <paramref name="end"/> is past the last Service.
    /// </summary>
    private IEnumerable<Candidate> Names(string z, bool reverse, int first = 0, int end = int.MaxValue)
    {
        if (first == 0) yield return new Candidate(z, "zone apex");
        if (reverse)
        {
            foreach (var s in _view.Services)
                foreach (var c in ReverseNames(s)) yield return c;
            foreach (var list in _view.Slices.Values)
                foreach (var sl in list)
                    foreach (var c in ReverseNames(sl)) yield return c;
            yield break;
        }
        if (first == 0)
        {
            if (z != ".") { yield return new Candidate("dns-version." + z, "schema version"); yield return new Candidate("ns.dns." + z, "name server"); }
            yield return new Candidate("svc." + z, "service subtree");
            yield return new Candidate("pod." + z, "pod subtree");
            foreach (var ns in _view.Exposed)
            {
                yield return new Candidate($"{ns}.svc.{z}", "Namespace " + ns);
                if (_options.Pods != PodMode.Disabled) yield return new Candidate($"{ns}.pod.{z}", "Namespace " + ns);
            }
        }
        var services = _view.Cluster.Services;
        for (int i = first; i < services.Count && i < end; i++)
            foreach (var c in ServiceNames(services[i], z)) yield return c;
        if (end < services.Count) yield break;
        if (_options.Pods == PodMode.Verified)
            foreach (var pod in WatchedPods())
            {
                var ip = pod.PodIPs[0];
                var dashed = ip.Replace(ip.IndexOf(':') >= 0 ? ':' : '.', '-');
                yield return new Candidate($"{dashed}.{pod.Namespace}.pod.{z}", $"Pod {pod.Meta.Key}" + Where(pod.Meta));
            }
    }

    /// <summary>A Service's names in a forward zone: itself, every port/protocol spelling, every ready endpoint.</summary>
    private IEnumerable<Candidate> ServiceNames(Service s, string z)
    {
        if (!_view.IsExposed(s.Namespace)) yield break;
        string src = $"Service {s.Meta.Key}" + Where(s.Meta);
        string bas = $"{s.Name}.{s.Namespace}.svc.{z}";
        yield return new Candidate(bas, src, known: new Request("svc", s.Namespace, s.Name, "", "", ""));
        var slices = _view.SlicesOf(s);
        // Port names and protocols of the Service and its slices, first spelling first, then "_" (any).
        var ports = new List<string>();
        var protos = new List<string>();
        void AddPort(string? name) { if (!string.IsNullOrEmpty(name) && !ports.Contains(name!)) ports.Add(name!); }
        void AddProto(string p) { if (p.Length > 0 && !protos.Contains(p.ToLowerInvariant())) protos.Add(p.ToLowerInvariant()); }
        for (int i = 0; i < s.Ports.Count; i++) AddPort(s.Ports[i].Name);
        foreach (var sl in slices) foreach (var p in sl.Ports) AddPort(p.Name);
        for (int i = 0; i < s.Ports.Count; i++) AddProto(s.Ports[i].Protocol);
        foreach (var sl in slices) foreach (var p in sl.Ports) AddProto(p.Protocol);
        ports.Add("");
        protos.Add("");
        // Each label's "_x." prefix made once, so a name is one concatenation.
        var protoLabels = new string[protos.Count];
        for (int i = 0; i < protos.Count; i++) protoLabels[i] = Underscored(protos[i]) + ".";
        foreach (var port in ports)
        {
            var portLabel = Underscored(port) + ".";
            for (int i = 0; i < protos.Count; i++)
                yield return new Candidate(string.Concat(portLabel, protoLabels[i], bas), src, known: new Request("svc", s.Namespace, s.Name, "", port, protos[i]));
        }
        foreach (var sl in slices)
            for (int i = 0; i < sl.Names.Length; i++)
            {
                var epName = sl.Names[i].ToLowerInvariant();
                if (epName.Length == 0 || epName.Length > 63) continue;
                // A name with dots (a pod name) is read back label by label, as a query for it would be.
                Request? known = epName.IndexOf('.') < 0 ? new Request("svc", s.Namespace, s.Name, epName, "", "") : null;
                yield return new Candidate(string.Concat(epName, ".", bas), src, sl.Ready[i].Ip, known);
            }
    }

    /// <summary>The reverse names of a Service's clusterIPs.</summary>
    private IEnumerable<Candidate> ReverseNames(Service s)
    {
        foreach (var ip in s.ClusterIPs)
            if (ReverseNameOf(ip) is { } name) yield return new Candidate(name, $"Service {s.Meta.Key} clusterIP", reverse: true, ip: ip);
    }

    /// <summary>The reverse names of a slice's ready addresses.</summary>
    private IEnumerable<Candidate> ReverseNames(SliceView sl)
    {
        string? source = null;
        foreach (var (_, ip) in sl.Ready)
            if (ReverseNameOf(ip) is { } name) yield return new Candidate(name, source ??= $"endpoint of {sl.Namespace}/{sl.Service}", reverse: true, ip: ip);
    }

    private static string Where(ObjectMeta m) => m.Location is null ? "" : $" ({m.Location.Path}:{m.Location.Line})";

    /// <summary>
    /// The canonical spelling of a port or protocol label: with its underscore ("_" alone matches any). Spellings
    /// without underscores are brought to this form by the engine at run time.
    /// </summary>
    private static string Underscored(string label) => "_" + label;

    internal IEnumerable<Pod> WatchedPods() => _view.Pods.Where(p => !p.IsDeleting && p.Phase is not ("Succeeded" or "Failed" or "Unknown") && p.PodIPs.Count > 0);

    /// <summary>The in-addr.arpa or ip6.arpa name of an address; null when the text is not an address.</summary>
    internal static string? ReverseNameOf(string ipText)
    {
        if (CanonicalV4(ipText)) return V4Reverse(ipText);
        if (!IpText.TryParse(ipText, out var ip)) return null;
        var b = ip.GetAddressBytes();
        if (b.Length == 4) return $"{b[3]}.{b[2]}.{b[1]}.{b[0]}.in-addr.arpa.";
        var parts = new List<string>();
        for (int i = 15; i >= 0; i--) { parts.Add((b[i] & 0xF).ToString("x", CultureInfo.InvariantCulture)); parts.Add((b[i] >> 4).ToString("x", CultureInfo.InvariantCulture)); }
        return string.Join(".", parts) + ".ip6.arpa.";
    }

    [ThreadStatic] private static char[]? _reverseBuffer;

    /// <summary>Whether the text is an IPv4 address already in canonical form (four decimal octets, no leading zeros).</summary>
    internal static bool CanonicalV4(string t)
    {
        int dots = 0, digits = 0, value = 0;
        for (int i = 0; i < t.Length; i++)
        {
            char c = t[i];
            if (c == '.')
            {
                if (digits == 0 || ++dots > 3) return false;
                digits = 0; value = 0;
                continue;
            }
            if (c < '0' || c > '9' || (digits == 1 && value == 0)) return false;
            value = value * 10 + (c - '0');
            if (++digits > 3 || value > 255) return false;
        }
        return dots == 3 && digits > 0;
    }

    /// <summary>d.c.b.a.in-addr.arpa. for a canonical a.b.c.d, in one allocation (the string: the buffer is reused).</summary>
    private static string V4Reverse(string t)
    {
        var chars = _reverseBuffer ??= new char[32]; // a canonical address is at most 15 characters, its name 29
        int w = 0, end = t.Length;
        for (int i = t.Length - 1; i >= -1; i--)
        {
            if (i >= 0 && t[i] != '.') continue;
            for (int k = i + 1; k < end; k++) chars[w++] = t[k];
            chars[w++] = '.';
            end = i;
        }
        foreach (char c in "in-addr.arpa.") chars[w++] = c;
        return new string(chars, 0, w);
    }
}
