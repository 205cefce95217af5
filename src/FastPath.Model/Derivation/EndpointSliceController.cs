using System.Collections.Generic;
using System.Linq;
using FastPath.Model.Net;

namespace FastPath.Model.Derivation;

/// <summary>
/// Builds EndpointSlices from Pods as Kubernetes' EndpointSlice controller does
/// (staging/src/k8s.io/endpointslice: reconciler.go, utils.go podToEndpoint and getEndpointPorts).
/// </summary>
public static class EndpointSliceController
{
    public static IReadOnlyList<EndpointSlice> Derive(Service svc, IEnumerable<Pod> pods, IReadOnlyDictionary<string, Node> nodes)
    {
        if (svc.Selector is null || svc.IsExternalName) return [];
        var slices = new List<EndpointSlice>();
        foreach (var family in AddressFamilies(svc))
        {
            // Endpoints with the same resolved port list share a slice, as the controller groups them.
            var groups = new SortedDictionary<string, (List<EndpointPort> Ports, List<Endpoint> Endpoints)>(System.StringComparer.Ordinal);
            foreach (var pod in pods.Where(p => p.Namespace == svc.Namespace && Selects(svc.Selector, p.Labels)).OrderBy(p => p.Name, System.StringComparer.Ordinal))
            {
                if (!ShouldBeInEndpoints(pod)) continue;
                var ip = pod.PodIPs.FirstOrDefault(a => IpText.IsIPv6(a) == (family == IpFamily.IPv6));
                if (ip is null) continue;
                var ports = EndpointPorts(svc, pod);
                var key = string.Join(",", ports.Select(p => p.Name + ":" + p.Port + "/" + p.Protocol));
                if (!groups.TryGetValue(key, out var g)) groups[key] = g = (ports, new List<Endpoint>());
                g.Endpoints.Add(ToEndpoint(svc, pod, IpText.CanonicalOrNull(ip)!, nodes));
            }
            int n = 0;
            foreach (var g in groups.Values)
            {
                slices.Add(new EndpointSlice
                {
                    Meta = new ObjectMeta(svc.Namespace, $"{svc.Name}-{family.ToString().ToLowerInvariant()}-{n++}", svc.Meta.Location),
                    ServiceName = svc.Name, AddressType = family.ToString(), Ports = g.Ports, Endpoints = g.Endpoints,
                    Source = EndpointSource.DerivedFromPods,
                });
            }
        }
        return slices;
    }

    public static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);

    /// <summary>ShouldPodBeInEndpoints with includeTerminating: no IP or a finished phase excludes a pod.</summary>
    public static bool ShouldBeInEndpoints(Pod pod) =>
        pod.PodIPs.Count > 0 && pod.Phase is not ("Failed" or "Succeeded");

    /// <summary>The service's ipFamilies; else its clusterIP's family; a headless service without families gets both.</summary>
    public static IReadOnlyList<IpFamily> AddressFamilies(Service svc)
    {
        if (svc.IpFamilies.Count > 0) return svc.IpFamilies;
        if (!svc.IsHeadless && svc.ClusterIPs.Count > 0) return [IpText.IsIPv6(svc.ClusterIPs[0]) ? IpFamily.IPv6 : IpFamily.IPv4];
        return [IpFamily.IPv4, IpFamily.IPv6];
    }

    private static Endpoint ToEndpoint(Service svc, Pod pod, string ip, IReadOnlyDictionary<string, Node> nodes)
    {
        bool serving = pod.IsReady;
        bool terminating = pod.IsDeleting;
        string? zone = pod.NodeName is not null && nodes.TryGetValue(pod.NodeName, out var node) ? node.Zone : null;
        return new Endpoint
        {
            Addresses = [ip],
            Ready = svc.PublishNotReadyAddresses || (serving && !terminating),
            Serving = serving,
            Terminating = terminating,
            Hostname = !string.IsNullOrEmpty(pod.Hostname) && pod.Subdomain == svc.Name ? pod.Hostname : null,
            NodeName = pod.NodeName,
            Zone = zone,
            TargetRef = new TargetRef("Pod", pod.Namespace, pod.Name),
        };
    }

    /// <summary>Numeric targetPorts as they are; a named one resolved by name and protocol, else left out for this pod.</summary>
    public static List<EndpointPort> EndpointPorts(Service svc, Pod pod)
    {
        var ports = new List<EndpointPort>();
        foreach (var sp in svc.Ports)
        {
            int port = sp.TargetPort;
            if (sp.TargetPortName is not null)
            {
                var cp = pod.ContainerPorts.FirstOrDefault(c => c.Name == sp.TargetPortName && c.Protocol == sp.Protocol);
                if (cp is null) continue;
                port = cp.Port;
            }
            ports.Add(new EndpointPort(sp.Name, port, sp.Protocol));
        }
        return ports;
    }
}
