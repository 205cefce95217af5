using System.Collections.Generic;
using FastPath.Model.Diagnostics;
using FastPath.Model.Net;

namespace FastPath.Model.Loading;

internal static class EndpointSliceReader
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";
    private const int MaxAddresses = 100, MaxPorts = 20000, MaxEndpoints = 1000;

    public static EndpointSlice? Read(YNode root)
    {
        var bag = root.Bag;
        var meta = MetaReader.Read(root);
        if (meta is null) return null;
        bool ok = MetaReader.Validate(root, NameRule.Dns1123Subdomain);
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
        var portNames = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var p in root.Seq("ports"))
        {
            int port = p.Int("port") ?? 0;
            if (p.Get("port") is not null && (port < 1 || port > 65535)) { bag.Report(Descriptors.PortRange, p.Get("port")!.Location, p.Path + ".port", port); ok = false; }
            var name = p.Str("name");
            // validatePorts (pkg/apis/discovery/validation): names are DNS-1123 labels, unique within the slice.
            if (!string.IsNullOrEmpty(name)) ok &= p.Get("name")!.Check(ApiRules.IsDns1123Label(name!), name);
            if (!portNames.Add(name ?? ""))
            { bag.Report(Descriptors.DuplicateValue, (p.Get("name") ?? p).Location, p.Path + ".name", ApiRules.Show(name ?? "")); ok = false; }
            var appProtocol = p.Get("appProtocol");
            if (appProtocol?.AsString() is { } ap) ok &= appProtocol.Check(ApiRules.IsQualifiedName(ap), ap);
            ports.Add(new EndpointPort(string.IsNullOrEmpty(name) ? null : name, port, ProtocolReader.Read(p)));
        }

        var endpoints = new List<Endpoint>();
        foreach (var e in root.Seq("endpoints"))
        {
            var addrs = e.StrList("addresses");
            if (addrs.Count == 0) { bag.Report(Descriptors.EndpointNoAddress, e.Location, e.Path + ".addresses"); ok = false; }
            else if (addrs.Count > MaxAddresses) { bag.Report(Descriptors.InvalidValue, e.Get("addresses")!.Location, e.Path + ".addresses", addrs.Count, $"Too many: must have at most {MaxAddresses} items"); ok = false; }
            YNode? addrNode = null;
            for (int i = 0; i < addrs.Count; i++)
            {
                // The usual address, a plain IPv4 one in an IPv4 slice, has nothing to report and needs no node.
                if (addressType == "IPv4" && Ipv4Quad.TryParse(addrs[i], out var b0, out var b1, out var b2, out var b3) && Ipv4Quad.IsOrdinary(b0, b1, b2, b3))
                    continue;
                addrNode ??= e.Get("addresses")!;
                var where = addrNode.Location;
                if (addressType == "FQDN") { ok &= addrNode.Check(FqdnErrors(addrs[i]), addrs[i], $"{e.Path}.addresses[{i}]"); continue; }
                if (!IpText.TryParse(addrs[i], out var ip)) { bag.Report(Descriptors.InvalidIp, where, $"{e.Path}.addresses[{i}]", addrs[i]); ok = false; }
                else if (IpText.FamilyOf(ip).ToString() != addressType && addressType.Length > 0)
                { bag.Report(Descriptors.EndpointAddressFamily, where, $"{e.Path}.addresses[{i}]", addrs[i], addressType); ok = false; }
                else ok &= ApiRules.CheckEndpointIp(addrNode, addrs[i], $"{e.Path}.addresses[{i}]");
            }
            if (e.Get("hostname") is { } hn && hn.AsString() is { } hostname) ok &= hn.Check(ApiRules.IsDns1123Label(hostname), hostname);
            if (e.Str("nodeName") is { } nodeName && ApiRules.IsDns1123Subdomain(nodeName) is { Count: > 0 } nodeErrs)
                ok &= e.Get("nodeName")!.Check(nodeErrs, nodeName);
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
        if (root.Get("endpoints") is { Node: { IsSequence: true, Count: > MaxEndpoints } eps } epsNode)
        { bag.Report(Descriptors.InvalidValue, epsNode.Location, "endpoints", eps.Count, $"Too many: must have at most {MaxEndpoints} items"); ok = false; }
        if (root.Get("ports") is { Node: { IsSequence: true, Count: > MaxPorts } ps } psNode)
        { bag.Report(Descriptors.InvalidValue, psNode.Location, "ports", ps.Count, $"Too many: must have at most {MaxPorts} items"); ok = false; }
        // Exact-size arrays: a live cluster keeps every slice, and a List's doubling left a third of its slots empty.
        return ok ? new EndpointSlice { Meta = meta, ServiceName = serviceName, AddressType = addressType, Ports = ports.ToArray(), Endpoints = endpoints.ToArray() } : null;
    }

    /// <summary>IsFullyQualifiedDomainName: a DNS-1123 subdomain with at least two labels (a trailing dot allowed).</summary>
    private static List<string> FqdnErrors(string name)
    {
        var trimmed = name.EndsWith(".", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - 1) : name;
        if (trimmed.Length == 0) return ["Required value"];
        var errs = ApiRules.IsDns1123Subdomain(trimmed);
        if (errs.Count == 0 && trimmed.IndexOf('.') < 0) errs.Add("should be a domain with at least two segments separated by dots");
        return errs;
    }

    internal static TargetRef? ReadTargetRef(YNode? n) => n is null ? null : new TargetRef(n.Str("kind"), n.Str("namespace"), n.Str("name"));

    private static IReadOnlyList<string> NamesOf(IReadOnlyList<YNode> items)
    {
        var list = new List<string>();
        foreach (var i in items) if (i.Str("name") is { Length: > 0 } n) list.Add(n);
        return list;
    }
}
