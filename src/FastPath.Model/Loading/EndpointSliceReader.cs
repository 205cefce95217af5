using System.Collections.Generic;
using FastPath.Model.Diagnostics;
using FastPath.Model.Net;

namespace FastPath.Model.Loading;

internal static class EndpointSliceReader
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    public static EndpointSlice? Read(YNode root)
    {
        var bag = root.Bag;
        var meta = MetaReader.Read(root);
        if (meta is null) return null;
        bool ok = true;
        var labels = MetaReader.Labels(root);
        labels.TryGetValue(ServiceNameLabel, out var serviceName);
        if (string.IsNullOrEmpty(serviceName))
        {
            bag.Report(Descriptors.SliceWithoutLabel, meta.Location, meta.Key);
            serviceName = null;
        }

        var typeNode = root.Get("addressType");
        var addressType = typeNode?.AsString() ?? "";
        if (typeNode is null) { bag.Report(Descriptors.MissingField, root.Location, "addressType"); ok = false; }
        else if (addressType is not ("IPv4" or "IPv6" or "FQDN")) { bag.Report(Descriptors.InvalidEnum, typeNode.Location, "addressType", addressType, "IPv4, IPv6, FQDN"); ok = false; }

        var ports = new List<EndpointPort>();
        foreach (var p in root.Seq("ports"))
        {
            int port = p.Int("port") ?? 0;
            if (p.Get("port") is not null && (port < 1 || port > 65535)) { bag.Report(Descriptors.PortRange, p.Get("port")!.Location, p.Path + ".port", port); ok = false; }
            var name = p.Str("name");
            ports.Add(new EndpointPort(string.IsNullOrEmpty(name) ? null : name, port, ProtocolReader.Read(p)));
        }

        var endpoints = new List<Endpoint>();
        foreach (var e in root.Seq("endpoints"))
        {
            var addrs = e.StrList("addresses");
            if (addrs.Count == 0) { bag.Report(Descriptors.EndpointNoAddress, e.Location, e.Path + ".addresses"); ok = false; }
            for (int i = 0; i < addrs.Count; i++)
            {
                var where = e.Get("addresses")!.Location;
                if (addressType == "FQDN") continue;
                if (!IpText.TryParse(addrs[i], out var ip)) { bag.Report(Descriptors.InvalidIp, where, $"{e.Path}.addresses[{i}]", addrs[i]); ok = false; }
                else if (IpText.FamilyOf(ip).ToString() != addressType && addressType.Length > 0)
                { bag.Report(Descriptors.EndpointAddressFamily, where, $"{e.Path}.addresses[{i}]", addrs[i], addressType); ok = false; }
            }
            var cond = e.Map("conditions");
            var hints = e.Map("hints");
            endpoints.Add(new Endpoint
            {
                Addresses = addrs,
                Ready = cond?.Bool("ready"),
                Serving = cond?.Bool("serving"),
                Terminating = cond?.Bool("terminating"),
                Hostname = e.Str("hostname"),
                NodeName = e.Str("nodeName"),
                Zone = e.Str("zone"),
                ZoneHints = hints?.Get("forZones") is null ? null : NamesOf(hints.Seq("forZones")),
                NodeHints = hints?.Get("forNodes") is null ? null : NamesOf(hints.Seq("forNodes")),
                TargetRef = ReadTargetRef(e.Map("targetRef")),
            });
        }
        return ok ? new EndpointSlice { Meta = meta, ServiceName = serviceName, AddressType = addressType, Ports = ports, Endpoints = endpoints } : null;
    }

    internal static TargetRef? ReadTargetRef(YNode? n) => n is null ? null : new TargetRef(n.Str("kind"), n.Str("namespace"), n.Str("name"));

    private static IReadOnlyList<string> NamesOf(IReadOnlyList<YNode> items)
    {
        var list = new List<string>();
        foreach (var i in items) if (i.Str("name") is { Length: > 0 } n) list.Add(n);
        return list;
    }
}
