using System.Collections.Generic;
using FastPath.Model.Diagnostics;
using FastPath.Model.Net;

namespace FastPath.Model.Loading;

internal static class PodReader
{
    public static Pod? Read(YNode root)
    {
        var bag = root.Bag;
        var meta = MetaReader.Read(root);
        if (meta is null) return null;
        bool ok = MetaReader.Validate(root, NameRule.Dns1123Subdomain);
        var spec = root.Map("spec");
        var status = root.Map("status");
        // ValidatePodSpec for the fields FastPath reads: hostname and subdomain are DNS-1123 labels, nodeName a node name.
        foreach (var (key, rule) in new[] { ("hostname", NameRule.Dns1123Label), ("subdomain", NameRule.Dns1123Label), ("nodeName", NameRule.Dns1123Subdomain) })
            if (spec?.Get(key) is { } n && n.AsString() is { Length: > 0 } v)
                ok &= n.Check(rule == NameRule.Dns1123Label ? ApiRules.IsDns1123Label(v) : ApiRules.IsDns1123Subdomain(v), v);

        var ports = new List<ContainerPort>();
        var portNames = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var c in spec?.Seq("containers") ?? [])
            ok &= ReadPorts(c, ports, portNames);
        // Restartable init containers (sidecars) also expose ports that a named targetPort may resolve to.
        foreach (var c in spec?.Seq("initContainers") ?? [])
            if (c.Str("restartPolicy") == "Always") ok &= ReadPorts(c, ports, portNames);

        var ips = new List<string>();
        foreach (var p in status?.Seq("podIPs") ?? [])
        {
            var ip = p.Str("ip");
            if (!IpText.IsValid(ip)) { bag.Report(Descriptors.InvalidIp, p.Location, p.Path + ".ip", ip ?? ""); ok = false; continue; }
            ips.Add(ip!);
        }
        if (ips.Count > 2 || (ips.Count == 2 && IpText.IsIPv6(ips[0]) == IpText.IsIPv6(ips[1])))
        {
            status!.Get("podIPs")!.Invalid(string.Join(",", ips), "may specify no more than one IP for each IP family");
            ok = false;
        }
        var podIP = status?.Str("podIP");
        if (!string.IsNullOrEmpty(podIP))
        {
            if (!IpText.IsValid(podIP)) { bag.Report(Descriptors.InvalidIp, status!.Get("podIP")!.Location, "status.podIP", podIP!); ok = false; }
            else if (ips.Count == 0) ips.Add(podIP!);
            else if (ips[0] != podIP) { bag.Report(Descriptors.PodIpMismatch, status!.Get("podIP")!.Location, podIP!, ips[0]); ok = false; }
        }

        bool ready = false;
        foreach (var c in status?.Seq("conditions") ?? [])
            if (c.Str("type") == "Ready") ready = c.Str("status") == "True";

        if (!PodDnsReader.Read(spec, out var dnsPolicy, out var dnsConfig)) ok = false;

        var md = root.Map("metadata");
        return ok ? new Pod
        {
            Meta = meta,
            Labels = MetaReader.Labels(root),
            IsDeleting = md?.Get("deletionTimestamp") is not null,
            NodeName = spec?.Str("nodeName"),
            Hostname = spec?.Str("hostname"),
            Subdomain = spec?.Str("subdomain"),
            HostNetwork = spec?.Bool("hostNetwork") ?? false,
            EnableServiceLinks = spec?.Bool("enableServiceLinks"),
            ContainerPorts = ports,
            PodIPs = ips,
            Phase = status?.Str("phase") ?? "Pending",
            IsReady = ready,
            DnsPolicy = dnsPolicy,
            DnsConfig = dnsConfig,
        } : null;
    }

    /// <summary>validateContainerPorts: containerPort 1-65535 and required, names IANA_SVC_NAME and unique in the pod.</summary>
    private static bool ReadPorts(YNode container, List<ContainerPort> into, HashSet<string> names)
    {
        bool ok = true;
        foreach (var p in container.Seq("ports"))
        {
            var portNode = p.Get("containerPort");
            int port = portNode?.AsInt() ?? 0;
            if (portNode is null) { p.Bag.Report(Descriptors.RequiredValue, p.Location, p.Path + ".containerPort", ""); ok = false; }
            else if (port < 1 || port > 65535) { portNode.Invalid(port, "must be between 1 and 65535, inclusive"); ok = false; }
            var nameNode = p.Get("name");
            var name = nameNode?.AsString();
            if (!string.IsNullOrEmpty(name))
            {
                if (!DnsNames.IsPortName(name!)) { nameNode!.Invalid(name, "must be no more than 15 characters, contain only lowercase alphanumerics and '-', contain a letter, and not begin, end with or contain '--'"); ok = false; }
                else if (!names.Add(name!)) { p.Bag.Report(Descriptors.DuplicateValue, nameNode!.Location, nameNode.Path, ApiRules.Show(name)); ok = false; }
            }
            into.Add(new ContainerPort(string.IsNullOrEmpty(name) ? null : name, port, ProtocolReader.Read(p)));
        }
        return ok;
    }
}
