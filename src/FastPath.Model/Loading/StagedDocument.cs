using System.Collections.Generic;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Loading;

/// <summary>
/// A document read by <see cref="ClusterAssembler.Stage"/>: the kinds read on their own keep their model (null when
/// reading failed) and drop their tree; the others keep their document for <see cref="ClusterAssembler.Add"/>.
/// </summary>
internal readonly struct StagedDocument
{
    public StagedDocument(string kind, string apiVersion, object? model, ServiceSites? sites = null)
    {
        Kind = kind; ApiVersion = apiVersion; Model = model; Sites = sites; Document = null;
    }

    public StagedDocument(ManifestDocument document)
    {
        Kind = document.Kind; ApiVersion = document.ApiVersion; Document = document; Model = null; Sites = null;
    }

    public string Kind { get; }
    public string ApiVersion { get; }
    public object? Model { get; }
    public ServiceSites? Sites { get; }
    public ManifestDocument? Document { get; }
}

/// <summary>
/// Where a Service's <c>spec.clusterIPs</c> (or <c>clusterIP</c>) and each port's <c>nodePort</c> stand, found while
/// its tree is at hand, for the clusterIP and nodePort checks across Services that run after every document. Finding
/// them reads <c>spec</c> and <c>spec.ports</c> again, which reports a wrong type a second time as it always did;
/// those reports count only for a Service the checks visit, so they are kept here until then.
/// </summary>
internal sealed class ServiceSites
{
    private ServiceSites(SourceLocation? clusterIPs, SourceLocation?[] nodePorts, IReadOnlyList<Diagnostic> diagnostics)
    {
        ClusterIPs = clusterIPs; NodePorts = nodePorts; Diagnostics = diagnostics;
    }

    public SourceLocation? ClusterIPs { get; }
    /// <summary>By index in the Service's ports: the nodePort field of a port that has one.</summary>
    public SourceLocation?[] NodePorts { get; }
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    public static ServiceSites Of(Service s, YNode root)
    {
        var bag = new DiagnosticBag();
        var spec = root.ReportingTo(bag).Map("spec");
        var clusterIPs = s.ClusterIPs.Count == 0 ? null : (spec?.Get("clusterIPs") ?? spec?.Get("clusterIP"))?.Location;
        var portNodes = spec?.Seq("ports");
        var nodePorts = new SourceLocation?[s.Ports.Count];
        for (int i = 0; i < nodePorts.Length; i++)
            if (s.Ports[i].NodePort != 0 && portNodes is not null && i < portNodes.Count) nodePorts[i] = portNodes[i].Get("nodePort")?.Location;
        return new ServiceSites(clusterIPs, nodePorts, bag.Items.Count == 0 ? System.Array.Empty<Diagnostic>() : bag.Items);
    }
}
