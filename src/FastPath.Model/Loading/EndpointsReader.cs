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
        bool ok = true;
        var slices = new List<EndpointSlice>();
        int subsetIndex = 0;
        foreach (var subset in root.Seq("subsets"))
        {
            var ports = subset.Seq("ports").Select(p => new EndpointPort(p.Str("name") is { Length: > 0 } n ? n : null, p.Int("port") ?? 0, ProtocolReader.Read(p))).ToList();
            var byFamily = new SortedDictionary<string, List<Endpoint>>(System.StringComparer.Ordinal);
            foreach (var (key, ready) in new[] { ("addresses", true), ("notReadyAddresses", false) })
            {
                foreach (var a in subset.Seq(key))
                {
                    var ip = a.Str("ip");
                    if (!IpText.TryParse(ip, out var parsed)) { bag.Report(Descriptors.InvalidIp, a.Location, a.Path + ".ip", ip ?? ""); ok = false; continue; }
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
}
