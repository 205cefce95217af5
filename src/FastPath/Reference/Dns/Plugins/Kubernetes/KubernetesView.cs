using System.Collections.Generic;
using System.Linq;
using FastPath.Model;
using FastPath.Model.Corefile.Plugins;

namespace FastPath.Reference.Dns;

/// <summary>An EndpointSlice as CoreDNS's object.Endpoints holds it: ready addresses only, ports or a -1 sentinel.</summary>
internal sealed record EndpointsView(string Namespace, string ServiceName, IReadOnlyList<EndpointAddressView> Addresses, IReadOnlyList<EndpointPort> Ports);

internal sealed record EndpointAddressView(string Ip, string Hostname, string TargetRefName, string NodeName);

/// <summary>What the kubernetes plugin's informers would hold for the cluster (K/object/*.go, K/controller.go).</summary>
internal sealed class KubernetesView
{
    public KubernetesView(Cluster cluster, KubernetesOptions options)
    {
        Cluster = cluster;
        Options = options;
        Endpoints = options.NoEndpoints ? [] : cluster.EndpointSlices.Where(s => s.ServiceName is not null).Select(ToView).ToList();
        // Only pods that are not being deleted and not finished are watched (K/object/pod.go).
        WatchedPods = options.Pods == PodMode.Verified
            ? cluster.Pods.Where(p => !p.IsDeleting && p.Phase is not ("Succeeded" or "Failed" or "Unknown") && p.PodIPs.Count > 0).ToList()
            : [];
    }

    public Cluster Cluster { get; }
    public KubernetesOptions Options { get; }
    public IReadOnlyList<EndpointsView> Endpoints { get; }
    public IReadOnlyList<Pod> WatchedPods { get; }

    /// <summary>The namespaces option allows it, and the Namespace exists (K/namespace.go).</summary>
    public bool NamespaceExposed(string ns) =>
        (Options.Namespaces.Count == 0 || Options.Namespaces.Contains(ns)) && Cluster.NamespaceExists(ns);

    public IEnumerable<EndpointsView> EndpointsOf(string ns, string service) =>
        Endpoints.Where(e => e.Namespace == ns && e.ServiceName == service);

    /// <summary>endpointHostname: hostname, else (endpoint_pod_names) the pod name, else the dashed IP.</summary>
    public string EndpointName(EndpointAddressView a)
    {
        if (a.Hostname.Length > 0) return a.Hostname;
        if (Options.EndpointPodNames && a.TargetRefName.Length > 0) return a.TargetRefName;
        if (a.Ip.Contains('.')) return a.Ip.Replace('.', '-');
        if (a.Ip.Contains(':'))
        {
            var dashed = a.Ip.Replace(':', '-');
            return dashed.EndsWith('-') ? dashed + "0" : dashed;
        }
        return "";
    }

    private static EndpointsView ToView(EndpointSlice s)
    {
        IReadOnlyList<EndpointPort> ports = s.Ports.Count == 0 ? [new EndpointPort(null, -1, "")] : s.Ports;
        var addrs = new List<EndpointAddressView>();
        foreach (var e in s.Endpoints)
        {
            if (!e.IsReady) continue; // CoreDNS reads only conditions.ready (nil counts as ready)
            var refName = e.TargetRef?.Name is { Length: < 64 } n ? n : "";
            foreach (var ip in e.Addresses) addrs.Add(new EndpointAddressView(ip, e.Hostname ?? "", refName, e.NodeName ?? ""));
        }
        return new EndpointsView(s.Namespace, s.ServiceName!, addrs, ports);
    }
}
