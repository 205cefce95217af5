using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using FastPath.Model.Corefile;
using FastPath.Model.Derivation;
using FastPath.Model.Diagnostics;
using FastPath.Model.Net;

namespace FastPath.Model.Loading;

/// <summary>
/// Turns documents into a <see cref="Cluster"/>: reads each by kind, checks what spans objects (duplicates, shared
/// clusterIPs, nodePorts), allocates missing addresses deterministically, and derives or mirrors endpoints.
/// </summary>
internal sealed class ClusterAssembler
{
    private readonly LoadOptions _options;
    private readonly DiagnosticBag _bag;
    private readonly PortRange _nodePorts;
    /// <summary>Where each Service's clusterIPs and nodePorts stand, so checks across Services can point at the field that clashes.</summary>
    private readonly Dictionary<string, ServiceSites> _serviceSites = new(StringComparer.Ordinal);

    public ClusterAssembler(LoadOptions options, DiagnosticBag bag)
    {
        _options = options; _bag = bag;
        var range = PortRange.Parse(options.NodePortRange);
        if (range is null) _bag.Report(Descriptors.InvalidValue, null, "--service-node-port-range", ApiRules.Show(options.NodePortRange), "must be FIRST-LAST or FIRST+SIZE within 1-65535");
        _nodePorts = range ?? PortRange.DefaultNodePorts;
    }

    private readonly List<Service> _services = new();
    private readonly List<EndpointSlice> _slices = new();
    private readonly List<(ObjectMeta Meta, IReadOnlyList<EndpointSlice> Slices)> _endpoints = new();
    private readonly List<Pod> _pods = new();
    private readonly List<Node> _nodes = new();
    private readonly List<string> _declaredNamespaces = new();
    private string? _corefileFromConfigMap;
    private SourceLocation? _corefileLocation;
    private readonly Dictionary<string, SourceLocation?> _seen = new(StringComparer.Ordinal);

    /// <summary>Every document read and added in order, then <see cref="Finish"/>.</summary>
    public Cluster Assemble(List<ManifestDocument> docs, List<ManifestText> texts)
    {
        foreach (var doc in docs) Add(Stage(doc));
        return Finish(texts);
    }

    /// <summary>
    /// Reads a document as far as it can be read on its own: the kinds whose reader does not depend on other
    /// documents are read now (reporting to the document's bag), so the caller can drop its tree; the others wait
    /// for <see cref="Add"/>. Nothing of the assembler changes, so a staged document can still be forgotten.
    /// </summary>
    public StagedDocument Stage(ManifestDocument doc)
    {
        var root = doc.Root;
        switch ((doc.Kind, doc.ApiVersion))
        {
            case ("Service", "v1"):
                var svc = ServiceReader.Read(root, _nodePorts);
                return new StagedDocument(doc.Kind, doc.ApiVersion, svc, svc is null ? null : ServiceSites.Of(svc, root));
            case ("EndpointSlice", "discovery.k8s.io/v1"): return new StagedDocument(doc.Kind, doc.ApiVersion, EndpointSliceReader.Read(root));
            case ("Pod", "v1"): return new StagedDocument(doc.Kind, doc.ApiVersion, PodReader.Read(root));
            case ("Node", "v1"): return new StagedDocument(doc.Kind, doc.ApiVersion, NodeReader.Read(root));
            default: return new StagedDocument(doc);
        }
    }

    /// <summary>Adds a staged document, in document order: the checks across objects, and the kinds read only now.</summary>
    public void Add(StagedDocument staged)
    {
        // Only the kinds read in Add keep their document (and its tree) until here.
        var doc = staged.Document;
        var root = doc?.Root!;
        switch ((staged.Kind, staged.ApiVersion))
        {
            case ("Service", "v1"):
                if (staged.Model is Service svc && Unique("Service", svc.Meta)) { _services.Add(svc); _serviceSites[svc.Meta.Key] = staged.Sites!; }
                break;
            case ("EndpointSlice", "discovery.k8s.io/v1"):
                if (staged.Model is EndpointSlice slice && Unique("EndpointSlice", slice.Meta)) _slices.Add(slice);
                break;
            case ("Endpoints", "v1"):
                var meta = MetaReader.Read(root);
                if (meta is not null && Unique("Endpoints", meta) && EndpointsReader.Read(root) is { } mirrored) _endpoints.Add((meta, mirrored));
                break;
            case ("Pod", "v1"):
                if (staged.Model is Pod pod && Unique("Pod", pod.Meta)) _pods.Add(pod);
                break;
            case ("Node", "v1"):
                if (staged.Model is Node node && Unique("Node", node.Meta)) _nodes.Add(node);
                break;
            case ("Namespace", "v1"):
                if (MetaReader.Read(root, namespaced: false) is { } nsMeta && Unique("Namespace", nsMeta))
                {
                    bool valid = MetaReader.Validate(root, NameRule.Checked);
                    if (!DnsNames.IsDns1123Label(nsMeta.Name)) { _bag.Report(Descriptors.InvalidName, nsMeta.Location, "metadata.name", nsMeta.Name, "DNS-1123 label"); valid = false; }
                    if (valid) _declaredNamespaces.Add(nsMeta.Name);
                }
                break;
            case ("ConfigMap", "v1"):
                var cm = MetaReader.Read(root);
                if (cm is { Namespace: "kube-system", Name: "coredns" } && Unique("ConfigMap", cm) && MetaReader.Validate(root, NameRule.Dns1123Subdomain))
                {
                    var data = root.Map("data");
                    var cfNode = data?.Get("Corefile");
                    if (cfNode is null) _bag.Report(Descriptors.ConfigMapWithoutCorefile, cm.Location);
                    else
                    {
                        _corefileFromConfigMap = cfNode.AsString();
                        // A block scalar's text starts on the line after its key.
                        bool block = cfNode.Node.IsBlockScalar;
                        _corefileLocation = new SourceLocation(cfNode.File, cfNode.Location.Line + (block ? 1 : 0) - 1, 1);
                    }
                }
                break;
            default:
                _bag.Report(Descriptors.UnknownKind, doc!.Location, doc.Kind, doc.ApiVersion);
                break;
        }
    }

    /// <summary>After every document: the Corefile, the checks and allocation across Services, endpoints, the cluster.</summary>
    public Cluster Finish(List<ManifestText> texts)
    {
        var corefile = LoadCorefile(_corefileFromConfigMap, _corefileLocation);
        var services = AllocateAndCheck(_services);
        var nodeMap = _nodes.GroupBy(n => n.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var allSlices = ResolveEndpoints(services, _slices, _endpoints, _pods, nodeMap);

        var namespaces = new SortedSet<string>(_declaredNamespaces, StringComparer.Ordinal);
        foreach (var s in services) namespaces.Add(s.Namespace);
        foreach (var s in allSlices) namespaces.Add(s.Namespace);
        foreach (var p in _pods) namespaces.Add(p.Namespace);
        foreach (var (m, _) in _endpoints) namespaces.Add(m.Namespace);

        return new Cluster(
            namespaces.ToList(),
            services.OrderBy(s => s.Meta.Key, StringComparer.Ordinal).ToList(),
            allSlices.OrderBy(s => s.Meta.Key, StringComparer.Ordinal).ToList(),
            _pods.OrderBy(p => p.Meta.Key, StringComparer.Ordinal).ToList(),
            _nodes.OrderBy(n => n.Name, StringComparer.Ordinal).ToList(),
            corefile,
            ManifestHash.Compute(texts.Select(t => t.Text), corefile.Text),
            texts.OrderBy(t => t.Path, StringComparer.Ordinal).ToList(),
            _options.ServiceCidr);
    }

    private bool Unique(string kind, ObjectMeta m)
    {
        var key = kind + " " + m.Key;
        if (_seen.TryGetValue(key, out var first))
        {
            _bag.Report(Descriptors.Duplicate, m.Location, kind, m.Key, first?.ToString() ?? "?");
            return false;
        }
        _seen[key] = m.Location;
        return true;
    }

    private CorefileConfig LoadCorefile(string? fromConfigMap, SourceLocation? configMapLocation)
    {
        string text; string path; int offset = 0;
        if (_options.CorefileText is not null) { text = _options.CorefileText; path = _options.CorefilePath ?? "Corefile"; }
        else if (fromConfigMap is not null) { text = fromConfigMap; path = configMapLocation!.Path; offset = configMapLocation.Line; }
        else { text = CorefileConfig.Default; path = "(default Corefile)"; }
        var config = CorefileParser.Parse(text, path, _bag, offset, _options.Environment, _options.ReadFile);
        if (!_bag.HasErrors && config.Kubernetes is null) _bag.Report(Descriptors.NoKubernetesBlock, new SourceLocation(path, offset + 1, 1));
        return config;
    }

    /// <summary>
    /// Checks clusterIPs and nodePorts across services and fills the missing ones. Allocation hashes the
    /// service's name into the range and probes forward, visiting services in name order, so the result does not
    /// depend on the order of files and barely moves when another service is added.
    /// </summary>
    private List<Service> AllocateAndCheck(List<Service> services)
    {
        var cidrs = ParseCidrs();
        bool enforced = _options.ServiceCidr is not null;
        var takenIps = new Dictionary<string, Service>(StringComparer.Ordinal);
        var takenPorts = new Dictionary<string, Service>(StringComparer.Ordinal);
        var ordered = services.OrderBy(s => s.Meta.Key, StringComparer.Ordinal).ToList();

        foreach (var s in ordered)
        {
            if (s.IsHeadless || s.IsExternalName) continue;
            var sites = _serviceSites[s.Meta.Key];
            _bag.AddRange(sites.Diagnostics);
            for (int i = 0; i < s.ClusterIPs.Count; i++)
            {
                var ip = s.ClusterIPs[i];
                var at = sites.ClusterIPs ?? s.Meta.Location;
                IpText.TryParse(ip, out var addr);
                var canon = IpText.Canonical(addr);
                if (takenIps.TryGetValue(canon, out var other)) _bag.Report(Descriptors.ClusterIpShared, at, $"spec.clusterIPs[{i}]", ip, other.Meta.Key);
                else takenIps[canon] = s;
                var cidr = cidrs.FirstOrDefault(c => c.Family == IpText.FamilyOf(addr));
                if (enforced && (cidr is null || !cidr.Contains(addr)))
                    _bag.Report(Descriptors.ClusterIpOutsideCidr, at, $"spec.clusterIPs[{i}]", ip, _options.ServiceCidr!);
            }
            for (int i = 0; i < s.Ports.Count; i++)
            {
                var p = s.Ports[i];
                if (p.NodePort == 0) continue;
                var at = sites.NodePorts[i];
                if (takenPorts.TryGetValue(p.NodePort + "/" + p.Protocol, out var other))
                    _bag.Report(Descriptors.NodePortTaken, at ?? s.Meta.Location, $"spec.ports[{i}].nodePort", p.NodePort, other.Meta.Key);
                else takenPorts[p.NodePort + "/" + p.Protocol] = s;
            }
        }

        var result = new List<Service>();
        foreach (var s in ordered)
        {
            var svc = s;
            if (!svc.IsHeadless && !svc.IsExternalName && svc.ClusterIPs.Count == 0)
            {
                var ips = new List<string>();
                foreach (var fam in FamiliesToAllocate(svc))
                {
                    var cidr = cidrs.FirstOrDefault(c => c.Family == fam);
                    if (cidr is null) continue;
                    ips.Add(AllocateIp(cidr, svc.Meta.Key, takenIps, svc));
                }
                svc = svc with { ClusterIPs = ips };
            }
            if (!svc.IsHeadless && !svc.IsExternalName && svc.IpFamilies.Count == 0)
                svc = svc with { IpFamilies = svc.ClusterIPs.Select(ip => IpText.IsIPv6(ip) ? IpFamily.IPv6 : IpFamily.IPv4).ToList() };
            bool wantsNodePorts = svc.Type == ServiceType.NodePort || (svc.Type == ServiceType.LoadBalancer && svc.AllocateLoadBalancerNodePorts != false);
            if (wantsNodePorts && svc.Ports.Any(p => p.NodePort == 0))
                svc = svc with { Ports = svc.Ports.Select(p => p.NodePort != 0 ? p : p with { NodePort = AllocatePort(svc.Meta.Key + "/" + p.Port + "/" + p.Protocol, p.Protocol, takenPorts, svc, _nodePorts) }).ToList() };
            if (svc.Type == ServiceType.LoadBalancer && svc.ExternalTrafficPolicy == TrafficPolicy.Local && svc.HealthCheckNodePort == 0)
                svc = svc with { HealthCheckNodePort = AllocatePort(svc.Meta.Key + "/healthz", "TCP", takenPorts, svc, _nodePorts) };
            result.Add(svc);
        }
        return result;
    }

    private static IEnumerable<IpFamily> FamiliesToAllocate(Service s)
    {
        if (s.IpFamilies.Count > 0) return s.IpFamilies;
        if (s.IpFamilyPolicy is "RequireDualStack" or "PreferDualStack") return [IpFamily.IPv4, IpFamily.IPv6];
        return [IpFamily.IPv4];
    }

    private List<Cidr> ParseCidrs()
    {
        var text = _options.ServiceCidr ?? LoadOptions.DefaultServiceCidrV4 + "," + LoadOptions.DefaultServiceCidrV6;
        var list = new List<Cidr>();
        foreach (var part in text.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries))
        {
            if (Cidr.TryParse(part.Trim(), out var c)) list.Add(c);
            else _bag.Report(Descriptors.ServiceCidr, null, part);
        }
        if (_options.ServiceCidr is not null && list.All(c => c.Family != IpFamily.IPv6) && Cidr.TryParse(LoadOptions.DefaultServiceCidrV6, out var v6))
            list.Add(v6); // an explicit IPv4 CIDR alone still lets dual-stack services get an IPv6 address
        return list;
    }

    private static string AllocateIp(Cidr cidr, string key, Dictionary<string, Service> taken, Service owner)
    {
        // Offsets 0 (network) and 1 (the kubernetes Service by convention) and the last address are not handed out.
        var usable = cidr.Size - 3;
        var start = new BigInteger(StableHash(key)) % usable;
        for (BigInteger i = 0; i < usable; i++)
        {
            var ip = IpText.Canonical(cidr.At(2 + (start + i) % usable));
            if (!taken.ContainsKey(ip)) { taken[ip] = owner; return ip; }
        }
        return IpText.Canonical(cidr.At(2 + start)); // a full CIDR: reuse, the shared-IP warning rule applies
    }

    private static int AllocatePort(string key, string protocol, Dictionary<string, Service> taken, Service owner, PortRange range)
    {
        int size = range.Size;
        int start = (int)(StableHash(key) % (uint)size);
        for (int i = 0; i < size; i++)
        {
            int port = range.First + (start + i) % size;
            if (!taken.ContainsKey(port + "/" + protocol)) { taken[port + "/" + protocol] = owner; return port; }
        }
        return range.First + start;
    }

    /// <summary>FNV-1a: stable across processes and platforms, unlike string.GetHashCode.</summary>
    internal static uint StableHash(string s)
    {
        uint h = 2166136261;
        foreach (char c in s) { h ^= c; h *= 16777619; }
        return h;
    }

    private List<EndpointSlice> ResolveEndpoints(List<Service> services, List<EndpointSlice> declared,
        List<(ObjectMeta Meta, IReadOnlyList<EndpointSlice> Slices)> endpoints, List<Pod> pods, IReadOnlyDictionary<string, Node> nodes)
    {
        var byKey = services.ToDictionary(s => s.Meta.Key, StringComparer.Ordinal);
        var result = new List<EndpointSlice>();
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var slice in declared)
        {
            if (slice.ServiceName is null) continue;
            var key = slice.Namespace + "/" + slice.ServiceName;
            if (!byKey.ContainsKey(key)) _bag.Report(Descriptors.SliceWithoutService, slice.Meta.Location, "EndpointSlice " + slice.Meta.Key, slice.ServiceName);
            covered.Add(key);
            result.Add(slice);
        }
        foreach (var (meta, mirrored) in endpoints)
        {
            if (covered.Contains(meta.Key)) { _bag.Report(Descriptors.EndpointsAndSlices, meta.Location, meta.Key); continue; }
            if (!byKey.ContainsKey(meta.Key)) _bag.Report(Descriptors.SliceWithoutService, meta.Location, "Endpoints " + meta.Key, meta.Name);
            covered.Add(meta.Key);
            result.AddRange(mirrored);
        }
        foreach (var svc in services)
            if (!covered.Contains(svc.Meta.Key)) result.AddRange(EndpointSliceController.Derive(svc, pods, nodes));
        return result;
    }
}
