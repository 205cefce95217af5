using System;
using System.Collections.Generic;
using System.Linq;
using FastPath.Model.Corefile;

namespace FastPath.Model;

/// <summary>
/// The whole cluster as FastPath sees it: validated, defaulted, and with endpoints derived where the manifests
/// gave only Pods. Collections are sorted ordinally so every consumer sees one stable order.
/// </summary>
public sealed class Cluster
{
    public Cluster(IReadOnlyList<string> namespaces, IReadOnlyList<Service> services, IReadOnlyList<EndpointSlice> slices,
        IReadOnlyList<Pod> pods, IReadOnlyList<Node> nodes, CorefileConfig corefile, string contentHash,
        IReadOnlyList<ManifestText>? sources = null, string? serviceCidr = null)
    {
        Sources = sources ?? [];
        ServiceCidr = serviceCidr;
        Namespaces = namespaces; Services = services; EndpointSlices = slices; Pods = pods; Nodes = nodes;
        Corefile = corefile; ContentHash = contentHash;
        _servicesByKey = services.ToDictionary(s => s.Meta.Key, StringComparer.Ordinal);
        _slicesByService = slices.Where(s => s.ServiceName != null)
            .GroupBy(s => s.Namespace + "/" + s.ServiceName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<EndpointSlice>)g.ToList(), StringComparer.Ordinal);
        _namespaces = new HashSet<string>(namespaces, StringComparer.Ordinal);
    }

    private readonly Dictionary<string, Service> _servicesByKey;
    private readonly Dictionary<string, IReadOnlyList<EndpointSlice>> _slicesByService;
    private readonly HashSet<string> _namespaces;

    /// <summary>Namespaces that exist: declared, or holding any object.</summary>
    public IReadOnlyList<string> Namespaces { get; }
    public IReadOnlyList<Service> Services { get; }
    public IReadOnlyList<EndpointSlice> EndpointSlices { get; }
    public IReadOnlyList<Pod> Pods { get; }
    public IReadOnlyList<Node> Nodes { get; }
    public CorefileConfig Corefile { get; }
    /// <summary>A hash of the manifests' content: the source of the SOA serial, so the same input gives the same bytes.</summary>
    public string ContentHash { get; }

    /// <summary>The manifests the cluster was read from, in path order.</summary>
    public IReadOnlyList<ManifestText> Sources { get; }
    /// <summary>The service CIDR option it was loaded with (null: the defaults, not enforced).</summary>
    public string? ServiceCidr { get; }

    public bool NamespaceExists(string ns) => _namespaces.Contains(ns);
    public Service? FindService(string ns, string name) => _servicesByKey.TryGetValue(ns + "/" + name, out var s) ? s : null;
    public IReadOnlyList<EndpointSlice> SlicesFor(Service s) =>
        _slicesByService.TryGetValue(s.Meta.Key, out var l) ? l : Array.Empty<EndpointSlice>();
    public Node? FindNode(string name) => Nodes.FirstOrDefault(n => n.Name == name);
}
