using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using FastPath.Model;
using FastPath.Model.Corefile;
using FastPath.Model.Derivation;
using FastPath.Model.Diagnostics;
using FastPath.Model.Loading;

namespace FastPath.Live;

/// <summary>
/// One accepted API object, parsed on its own into the model. Its text is not kept (it is most of what a cluster of
/// small objects weighs): a SHA-256 digest of it tells an unchanged re-delivery apart and feeds the content hash.
/// </summary>
internal sealed record ParsedObject(ObjectKey Key, byte[] Digest)
{
    public Service? Service { get; init; }
    /// <summary>An EndpointSlice, or the slices an Endpoints object mirrors to.</summary>
    public IReadOnlyList<EndpointSlice> Slices { get; init; } = [];
    public Pod? Pod { get; init; }
    public Node? Node { get; init; }
    public string? DeclaredNamespace { get; init; }
    public CorefileConfig? Corefile { get; init; }
    /// <summary>The Service this object's endpoints belong to ("ns/name"), if any.</summary>
    public string? ServiceKey => Service?.Meta.Key ?? (Slices.Count > 0 && Slices[0].ServiceName is { } s ? Slices[0].Namespace + "/" + s : null);
}

/// <summary>
/// The objects of a live cluster, each parsed on its own, with the indexes a Service's state is read from: its
/// EndpointSlices (by the kubernetes.io/service-name label), its Endpoints, and the namespaces and nodes the objects
/// name. <see cref="Assemble"/> gives the same <see cref="Cluster"/> the manifest loader makes of the same objects
/// (endpoints of Services without slices derived from Pods; the SOA serial from <see cref="ContentHash"/>).
/// </summary>
internal sealed class LiveObjects
{
    private readonly LoadOptions _load;
    private readonly LoadOptions _parse;
    private readonly CorefileConfig _corefile;
    private readonly Dictionary<ObjectKey, ParsedObject> _objects = new();
    private readonly Dictionary<string, Service> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<string, EndpointSlice>> _declared = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<EndpointSlice>> _mirrored = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _namespaceRefs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<string, Service>> _servicesByNamespace = new(StringComparer.Ordinal);
    // Pods by namespace and Nodes apart, so that deriving one Service's endpoints does not walk every object.
    private readonly Dictionary<string, Dictionary<ObjectKey, Pod>> _podsByNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<ObjectKey, Node> _nodes = new();

    public LiveObjects(LoadOptions load)
    {
        _load = load;
        // Objects other than the coredns ConfigMap are read with a fixed small Corefile: the cluster's own is read once.
        _parse = load with { CorefileText = ".:53 {\n    kubernetes cluster.local\n}\n", CorefilePath = null };
        _corefile = ClusterLoader.LoadTexts([], load).Cluster?.Corefile ?? throw new ArgumentException("the Corefile given in the load options has errors", nameof(load));
    }

    public IReadOnlyCollection<ParsedObject> All => _objects.Values;
    public int Count => _objects.Count;
    public bool Contains(ObjectKey key, string text) => _objects.TryGetValue(key, out var o) && o.Digest.AsSpan().SequenceEqual(Digest(text));

    /// <summary>The digest an object's text is known by.</summary>
    public static byte[] Digest(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
    public bool Contains(ObjectKey key) => _objects.ContainsKey(key);
    public ParsedObject? Get(ObjectKey key) => _objects.TryGetValue(key, out var o) ? o : null;
    public IEnumerable<ObjectKey> Keys => _objects.Keys;

    /// <summary>Parses one object's text; null with the reasons when the model rejects it.</summary>
    public ParsedObject? Parse(ObjectKey key, string text, out IReadOnlyList<Diagnostic> errors)
    {
        var digest = Digest(text);
        if (key.Kind is "EndpointSlice" or "Endpoints" && EndpointsObjectReader.Read(new ManifestText(key.ToString(), text), key.Kind, _parse.Limits) is { } slices)
        {
            // The common change, read without a Corefile or an assembled cluster; any error goes the general way below.
            errors = [];
            return new ParsedObject(key, digest) { Slices = slices };
        }
        bool coredns = key is { Kind: "ConfigMap", Namespace: "kube-system", Name: "coredns" };
        var result = ClusterLoader.LoadTexts([new ManifestText(key.ToString(), text)], coredns && _load.CorefileText is null ? _load with { CorefilePath = null } : _parse);
        errors = result.Diagnostics.Where(d => d.IsError).ToList();
        if (result.Cluster is not { } c) return null;
        var parsed = key.Kind switch
        {
            "Service" => c.Services.Count == 1 ? new ParsedObject(key, digest) { Service = c.Services[0] } : null,
            "EndpointSlice" or "Endpoints" => new ParsedObject(key, digest) { Slices = c.EndpointSlices },
            "Pod" => c.Pods.Count == 1 ? new ParsedObject(key, digest) { Pod = c.Pods[0] } : null,
            "Node" => c.Nodes.Count == 1 ? new ParsedObject(key, digest) { Node = c.Nodes[0] } : null,
            "Namespace" => c.Namespaces.Contains(key.Name) ? new ParsedObject(key, digest) { DeclaredNamespace = key.Name } : null,
            "ConfigMap" => new ParsedObject(key, digest) { Corefile = coredns && _load.CorefileText is null ? c.Corefile : null },
            _ => null,
        };
        if (parsed is null)
            errors = [new Diagnostic("FP0002", DiagnosticSeverity.Error, $"the text does not hold one {key.Kind} (kind, namespace and name must match the object's key)", new SourceLocation(key.ToString(), 1, 1))];
        return parsed;
    }

    /// <summary>Adds, replaces (<paramref name="parsed"/> given) or removes (null) the object at <paramref name="key"/>.</summary>
    public void Set(ObjectKey key, ParsedObject? parsed)
    {
        if (_objects.TryGetValue(key, out var old)) Index(old, -1);
        if (parsed is null) _objects.Remove(key);
        else { _objects[key] = parsed; Index(parsed, +1); }
    }

    /// <summary>Namespaces with at least one object (the set a full build lists).</summary>
    public IEnumerable<string> Namespaces => _namespaceRefs.Keys;

    /// <summary>Changes whenever a namespace gains its first object or loses its last: while it stays, the set is the same.</summary>
    public long NamespacesVersion { get; private set; }

    private void Index(ParsedObject o, int delta)
    {
        void Ns(string ns)
        {
            int n = (_namespaceRefs.TryGetValue(ns, out var c) ? c : 0) + delta;
            if (n == 0) _namespaceRefs.Remove(ns); else _namespaceRefs[ns] = n;
            if (n == 0 || c == 0) NamespacesVersion++;
        }
        if (o.Service is { } s)
        {
            if (!_servicesByNamespace.TryGetValue(s.Namespace, out var inNs)) _servicesByNamespace[s.Namespace] = inNs = new SortedDictionary<string, Service>(StringComparer.Ordinal);
            if (delta > 0) { _services[s.Meta.Key] = s; inNs[s.Name] = s; }
            else { _services.Remove(s.Meta.Key); inNs.Remove(s.Name); }
            Ns(s.Namespace);
        }
        if (o.Pod is { } p)
        {
            Ns(p.Namespace);
            if (!_podsByNamespace.TryGetValue(p.Namespace, out var inNs)) _podsByNamespace[p.Namespace] = inNs = new Dictionary<ObjectKey, Pod>();
            if (delta > 0) inNs[o.Key] = p;
            else if (inNs.Remove(o.Key) && inNs.Count == 0) _podsByNamespace.Remove(p.Namespace);
        }
        if (o.Node is { } node)
        {
            if (delta > 0) _nodes[o.Key] = node; else _nodes.Remove(o.Key);
        }
        if (o.DeclaredNamespace is { } d) Ns(d);
        if (o.Key.Kind == "EndpointSlice")
            foreach (var sl in o.Slices)
            {
                Ns(sl.Namespace);
                if (sl.ServiceName is null) continue;
                var svc = sl.Namespace + "/" + sl.ServiceName;
                if (!_declared.TryGetValue(svc, out var map)) _declared[svc] = map = new SortedDictionary<string, EndpointSlice>(StringComparer.Ordinal);
                if (delta > 0) map[sl.Meta.Key] = sl;
                else if (map.Remove(sl.Meta.Key) && map.Count == 0) _declared.Remove(svc);
            }
        if (o.Key.Kind == "Endpoints")
        {
            Ns(o.Key.Namespace);
            var svc = o.Key.Namespace + "/" + o.Key.Name;
            if (delta > 0) _mirrored[svc] = o.Slices; else _mirrored.Remove(svc);
        }
    }

    public Service? Service(string key) => _services.TryGetValue(key, out var s) ? s : null;

    /// <summary>A namespace's Services in name order.</summary>
    public IEnumerable<Service> ServicesIn(string ns) => _servicesByNamespace.TryGetValue(ns, out var m) ? m.Values : [];

    /// <summary>
    /// The slices a Service's endpoints come from, as the loader resolves them: its EndpointSlices, else its Endpoints,
    /// else slices derived from its Pods; and orphans (no such Service) as they are.
    /// </summary>
    public IReadOnlyList<EndpointSlice> SlicesOf(string key)
    {
        if (_declared.TryGetValue(key, out var declared)) return declared.Values.ToList();
        if (_mirrored.TryGetValue(key, out var mirrored)) return mirrored;
        if (_services.TryGetValue(key, out var svc))
            return EndpointSliceController.Derive(svc, _podsByNamespace.TryGetValue(svc.Namespace, out var pods) ? pods.Values : [], NodeMap());
        return [];
    }

    public bool DerivesFromPods(string key) => !_declared.ContainsKey(key) && !_mirrored.ContainsKey(key) && _services.TryGetValue(key, out var s) && s.Selector is not null;

    public IEnumerable<Pod> Pods => _podsByNamespace.Values.SelectMany(inNs => inNs.Values);
    public IEnumerable<Node> Nodes => _nodes.Values;
    private Dictionary<string, Node> NodeMap() => Nodes.GroupBy(n => n.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    public CorefileConfig Corefile =>
        _load.CorefileText is null && Get(new ObjectKey("ConfigMap", "kube-system", "coredns"))?.Corefile is { } fromMap ? fromMap : _corefile;

    /// <summary>A hash of every object's key and text digest (the SOA serial's source); computed at full builds.</summary>
    public string ContentHash()
    {
        using var sha = SHA256.Create();
        foreach (var o in _objects.Values.OrderBy(o => o.Key.ToString(), StringComparer.Ordinal))
        {
            var b = Encoding.UTF8.GetBytes(o.Key + "\0");
            sha.TransformBlock(b, 0, b.Length, null, 0);
            sha.TransformBlock(o.Digest, 0, o.Digest.Length, null, 0);
        }
        var c = Encoding.UTF8.GetBytes(Corefile.Text);
        sha.TransformFinalBlock(c, 0, c.Length);
        return Convert.ToHexString(sha.Hash!).ToLowerInvariant();
    }

    /// <summary>The whole cluster now, as the model (what a full build plans).</summary>
    public Cluster Assemble(string contentHash)
    {
        var services = _services.Values.OrderBy(s => s.Meta.Key, StringComparer.Ordinal).ToList();
        var slices = new List<EndpointSlice>();
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in services) { slices.AddRange(SlicesOf(s.Meta.Key)); covered.Add(s.Meta.Key); }
        foreach (var (key, map) in _declared) if (!covered.Contains(key)) { slices.AddRange(map.Values); covered.Add(key); }
        foreach (var (key, list) in _mirrored) if (!covered.Contains(key)) slices.AddRange(list);
        var namespaces = new SortedSet<string>(_namespaceRefs.Keys, StringComparer.Ordinal);
        foreach (var sl in slices) namespaces.Add(sl.Namespace);
        return new Cluster(namespaces.ToList(), services, slices.OrderBy(s => s.Meta.Key, StringComparer.Ordinal).ToList(),
            Pods.OrderBy(p => p.Meta.Key, StringComparer.Ordinal).ToList(), Nodes.OrderBy(n => n.Name, StringComparer.Ordinal).ToList(),
            Corefile, contentHash, [], _load.ServiceCidr);
    }
}
