using System.Collections.Generic;
using System.Linq;
using FastPath.Model.Diagnostics;
using FastPath.Model.Net;

namespace FastPath.Model.Loading;

/// <summary>
/// Reads legacy v1 Endpoints and mirrors them into EndpointSlices as Kubernetes' EndpointSlice mirroring
/// controller does: one slice per subset and address family; addresses are ready, notReadyAddresses are not.
/// </summary>
internal static class EndpointsReader
{
    public static IReadOnlyList<EndpointSlice>? Read(YNode root)
    {
        var bag = root.Bag;
        var meta = MetaReader.Read(root);
        if (meta is null) return null;
        bool ok = MetaReader.Validate(root, NameRule.Dns1123Subdomain);
        var slices = new List<EndpointSlice>();
        int subsetIndex = 0;
        foreach (var subset in root.Seq("subsets"))
        {
            var portNodes = subset.Seq("ports");
            var ports = portNodes.Select(p => new EndpointPort(p.Str("name") is { Length: > 0 } n ? n : null, p.Int("port") ?? 0, ProtocolReader.Read(p))).ToList();
            ok &= ValidatePorts(portNodes);
            if (subset.Seq("addresses").Count == 0 && subset.Seq("notReadyAddresses").Count == 0)
            { bag.Report(Descriptors.RequiredValue, subset.Location, subset.Path, ": must specify `addresses` or `notReadyAddresses`"); ok = false; }
            var byFamily = new SortedDictionary<string, List<Endpoint>>(System.StringComparer.Ordinal);
            foreach (var (key, ready) in new[] { ("addresses", true), ("notReadyAddresses", false) })
            {
                foreach (var a in subset.Seq(key))
                {
                    var ip = a.Str("ip");
                    if (!IpText.TryParse(ip, out var parsed)) { bag.Report(Descriptors.InvalidIp, a.Location, a.Path + ".ip", ip ?? ""); ok = false; continue; }
                    ok &= ApiRules.CheckEndpointIp(a.Get("ip")!, ip!);
                    if (a.Get("hostname") is { } hn && hn.AsString() is { } hostname) ok &= hn.Check(ApiRules.IsDns1123Label(hostname), hostname);
                    if (a.Get("nodeName") is { } nn && nn.AsString() is { } nodeName) ok &= nn.Check(ApiRules.IsDns1123Subdomain(nodeName), nodeName);
                    var family = IpText.FamilyOf(parsed).ToString();
                    if (!byFamily.TryGetValue(family, out var list)) byFamily[family] = list = new List<Endpoint>();
                    list.Add(new Endpoint
                    {
                        Addresses = [ip!], Ready = ready, Serving = ready, Terminating = false,
                        Hostname = a.Str("hostname"), NodeName = a.Str("nodeName"),
                        TargetRef = EndpointSliceReader.ReadTargetRef(a.Map("targetRef")),
                    });
                }
            }
            foreach (var kv in byFamily)
            {
                slices.Add(new EndpointSlice
                {
                    Meta = meta with { Name = $"{meta.Name}-{subsetIndex}-{kv.Key.ToLowerInvariant()}" },
                    ServiceName = meta.Name, AddressType = kv.Key, Ports = ports, Endpoints = kv.Value,
                    Source = EndpointSource.MirroredFromEndpoints,
                });
            }
            subsetIndex++;
        }
        return ok ? slices : null;
    }

    /// <summary>validateEndpointPort: a name (a DNS-1123 label) is required when a subset has several ports; 1-65535.</summary>
    private static bool ValidatePorts(IReadOnlyList<YNode> ports)
    {
        bool ok = true;
        foreach (var p in ports)
        {
            var nameNode = p.Get("name");
            var name = nameNode?.AsString();
            if (string.IsNullOrEmpty(name))
            {
                if (ports.Count > 1) { p.Bag.Report(Descriptors.RequiredValue, p.Location, p.Path + ".name", ""); ok = false; }
            }
            else ok &= nameNode!.Check(ApiRules.IsDns1123Label(name!), name);
            var portNode = p.Get("port");
            int port = portNode?.AsInt() ?? 0;
            if (port < 1 || port > 65535)
            {
                (portNode ?? p).Invalid(port, "must be between 1 and 65535, inclusive", p.Path + ".port");
                ok = false;
            }
        }
        return ok;
    }
}
