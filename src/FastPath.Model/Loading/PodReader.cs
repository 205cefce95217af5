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
        bool ok = true;
        var spec = root.Map("spec");
        var status = root.Map("status");

        var ports = new List<ContainerPort>();
        foreach (var c in spec?.Seq("containers") ?? [])
            ReadPorts(c, ports);
        // Restartable init containers (sidecars) also expose ports that a named targetPort may resolve to.
        foreach (var c in spec?.Seq("initContainers") ?? [])
            if (c.Str("restartPolicy") == "Always") ReadPorts(c, ports);

        var ips = new List<string>();
        foreach (var p in status?.Seq("podIPs") ?? [])
        {
            var ip = p.Str("ip");
            if (!IpText.IsValid(ip)) { bag.Report(Descriptors.InvalidIp, p.Location, p.Path + ".ip", ip ?? ""); ok = false; continue; }
            ips.Add(ip!);
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

    private static void ReadPorts(YNode container, List<ContainerPort> into)
    {
        foreach (var p in container.Seq("ports"))
            into.Add(new ContainerPort(p.Str("name") is { Length: > 0 } n ? n : null, p.Int("containerPort") ?? 0, ProtocolReader.Read(p)));
    }
}
