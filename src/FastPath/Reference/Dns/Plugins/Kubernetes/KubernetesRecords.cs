using System;
using System.Collections.Generic;
using System.Linq;
using FastPath.Dns;
using FastPath.Model;
using FastPath.Model.Corefile.Plugins;
using FastPath.Model.Net;

namespace FastPath.Reference.Dns;

/// <summary>Raised for a name that does not exist (CoreDNS's errNoItems, errNsNotExposed, errInvalidRequest).</summary>
internal sealed class NameErrorException : Exception
{
    public static readonly NameErrorException Instance = new();
}

/// <summary>
/// The kubernetes plugin's record lookups, written straight from plugin/kubernetes/kubernetes.go: Services,
/// Records, findServices, findPods and Reverse. A name error is thrown as <see cref="NameErrorException"/>.
/// </summary>
internal sealed class KubernetesRecords
{
    private readonly KubernetesView _view;
    private readonly IReadOnlyList<System.Net.IPAddress> _localIPs;

    public KubernetesRecords(KubernetesView view, IReadOnlyList<System.Net.IPAddress> localIPs)
    {
        _view = view;
        _localIPs = localIPs;
    }

    private uint Ttl => (uint)_view.Options.Ttl;

    /// <summary>K/kubernetes.go Services: the per-qtype special cases, then Records.</summary>
    public List<Backend> Services(DnsRequest state)
    {
        switch (state.QType)
        {
            case DnsType.TXT:
                var t = RecordRequest.TrimZone(state.Name, state.Zone);
                if (t == "dns-version")
                    return [new Backend("", 0, 28800, state.QName, Text: "1.1.0")];
                // An existing name of another type gives NODATA; otherwise the name does not exist.
                List<Backend> others;
                try { others = Records(state); } catch (NameErrorException) { others = []; }
                if (others.Count > 0) return [];
                throw NameErrorException.Instance;
            case DnsType.NS:
                return NsAddrs(state.Zone).Select(a => new Backend(a.Ip.ToString(), 0, Ttl, a.Name)).ToList();
        }

        if (IsDefaultNs(state.Name, state.Zone))
        {
            var wantV6 = state.QType == DnsType.AAAA;
            return NsAddrs(state.Zone)
                .Where(a => (state.QType == DnsType.A && !IsV6(a.Ip)) || (wantV6 && IsV6(a.Ip)))
                .Select(a => new Backend(a.Ip.ToString(), 0, Ttl, a.Name)).ToList();
        }

        var s = Records(state);
        if (state.QType != DnsType.SRV) return s;
        // SRV for ExternalName services is not implemented upstream: they are taken out.
        return s.Where(b => b.HostType(out _) != DnsType.CNAME).ToList();
    }

    private static bool IsV6(System.Net.IPAddress a) => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;

    /// <summary>isDefaultNS: compares with the zone as spelled in the query (a mixed-case zone never matches).</summary>
    private static bool IsDefaultNs(string name, string zone) =>
        name.StartsWith("ns.dns.", StringComparison.Ordinal) && name.IndexOf(zone, StringComparison.Ordinal) == "ns.dns.".Length;

    public List<Backend> Records(DnsRequest state)
    {
        var r = RecordRequest.Parse(state.Name, state.Zone) ?? throw NameErrorException.Instance;
        if (r.PodOrSvc == "") return [];
        if (IsReverseName(state.Name)) throw NameErrorException.Instance;
        if (!_view.NamespaceExposed(r.Namespace)) throw NameErrorException.Instance;
        return r.PodOrSvc == "pod" ? FindPods(r, state.Zone) : FindServices(r, state.Zone);
    }

    private static bool IsReverseName(string name) =>
        name.EndsWith(".in-addr.arpa.", StringComparison.Ordinal) || name.EndsWith(".ip6.arpa.", StringComparison.Ordinal);

    private List<Backend> FindPods(RecordRequest r, string zone)
    {
        if (_view.Options.Pods == PodMode.Disabled) throw NameErrorException.Instance;
        if (!_view.NamespaceExposed(r.Namespace)) throw NameErrorException.Instance;
        var podname = r.Service;
        if (podname == "") return []; // NODATA
        string target = $"{podname}.{r.Namespace}.pod.{zone}";
        string ip = podname.Count(c => c == '-') == 3 && !podname.Contains("--")
            ? podname.Replace('-', '.')
            : podname.Replace('-', ':');
        if (_view.Options.Pods == PodMode.Insecure)
        {
            if (!IpText.IsValid(ip)) throw NameErrorException.Instance;
            return [new Backend(ip, 0, Ttl, target)];
        }
        var pods = _view.WatchedPods.Where(p => p.PodIPs[0] == ip && string.Equals(r.Namespace, p.Namespace, StringComparison.OrdinalIgnoreCase))
            .Select(_ => new Backend(ip, 0, Ttl, target)).ToList();
        if (pods.Count == 0) throw NameErrorException.Instance;
        return pods;
    }

    private List<Backend> FindServices(RecordRequest r, string zone)
    {
        if (r.Service == "") return []; // NODATA: the namespace exists
        bool found = false;
        var result = new List<Backend>();
        foreach (var svc in _view.Cluster.Services.Where(s => Eq(s.Namespace, r.Namespace) && Eq(s.Name, r.Service)))
        {
            string svcName = $"{svc.Name}.{svc.Namespace}.svc.{zone}";
            var endpoints = _view.EndpointsOf(svc.Namespace, svc.Name).ToList();
            if (_view.Options.IgnoreEmptyService && !svc.IsExternalName && !svc.IsHeadless && endpoints.Sum(e => e.Addresses.Count) == 0)
                continue;

            if (svc.IsExternalName)
            {
                // No endpoints and no port/protocol sub-names for an ExternalName service.
                if (r.Endpoint != "" || r.Port != "" || r.Protocol != "") continue;
                var b = new Backend(svc.ExternalName!, 0, Ttl, svcName);
                if (b.HostType(out _) == DnsType.CNAME) { result.Add(b); found = true; } // an IP-valued externalName is ignored
                continue;
            }

            if (svc.IsHeadless || r.Endpoint != "")
            {
                foreach (var ep in endpoints)
                    foreach (var addr in ep.Addresses)
                    {
                        var epName = _view.EndpointName(addr);
                        if (r.Endpoint != "" && !Eq(r.Endpoint, epName)) continue;
                        foreach (var p in ep.Ports)
                        {
                            if (!MatchPortAndProtocol(r.Port, p.Name ?? "", r.Protocol, p.Protocol)) continue;
                            result.Add(new Backend(addr.Ip, p.Port, Ttl, $"{epName}.{svcName}"));
                            found = true;
                        }
                    }
                continue;
            }

            // ClusterIP: one entry per port and cluster IP; a service with no ports gets the -1 sentinel port.
            IEnumerable<ServicePort> ports = svc.Ports.Count == 0 ? [new ServicePort { Port = -1, Protocol = "" }] : svc.Ports;
            foreach (var p in ports)
            {
                if (!MatchPortAndProtocol(r.Port, p.Name ?? "", r.Protocol, p.Protocol)) continue;
                found = true;
                foreach (var ip in svc.ClusterIPs) result.Add(new Backend(ip, p.Port, Ttl, svcName));
            }
        }
        if (!found) throw NameErrorException.Instance;
        return result;
    }

    private static bool Eq(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static bool MatchPortAndProtocol(string aPort, string bPort, string aProto, string bProto) =>
        (aPort == "" || Eq(aPort, bPort)) && (aProto == "" || Eq(aProto, bProto));

    /// <summary>K/reverse.go: a service whose clusterIPs hold the address, else every endpoint with it.</summary>
    public List<Backend> Reverse(DnsRequest state)
    {
        var ip = ReverseName.ExtractAddress(state.Name);
        if (ip is null)
        {
            Records(state);
            return [];
        }
        string primary = _view.Options.PrimaryZone ?? ".";
        var restricted = _view.Options.Namespaces.Count > 0;
        foreach (var svc in _view.Cluster.Services)
        {
            if (!svc.ClusterIPs.Contains(ip)) continue;
            if (restricted && !_view.NamespaceExposed(svc.Namespace)) continue;
            return [new Backend($"{svc.Name}.{svc.Namespace}.svc.{primary}", 0, Ttl, "")];
        }
        var list = new List<Backend>();
        foreach (var ep in _view.Endpoints)
        {
            if (restricted && !_view.NamespaceExposed(ep.Namespace)) continue;
            foreach (var a in ep.Addresses)
                if (a.Ip == ip) list.Add(new Backend($"{_view.EndpointName(a)}.{ep.ServiceName}.{ep.Namespace}.svc.{primary}", 0, Ttl, ""));
        }
        if (list.Count == 0) throw NameErrorException.Instance;
        return list;
    }

    /// <summary>
    /// K/ns.go nsAddrs: the Services whose endpoints hold one of the server's own addresses name the server;
    /// with none, <c>ns.dns.zone</c> with the addresses themselves.
    /// </summary>
    public List<(string Name, System.Net.IPAddress Ip)> NsAddrs(string zone)
    {
        var result = new List<(string, System.Net.IPAddress)>();
        foreach (var local in _localIPs)
        {
            var localText = local.ToString();
            foreach (var ep in _view.Endpoints.Where(e => e.Addresses.Any(a => a.Ip == localText)))
            {
                var svc = _view.Cluster.FindService(ep.Namespace, ep.ServiceName);
                if (svc is null) continue;
                string svcName = $"{svc.Name}.{svc.Namespace}.svc.{zone}";
                if (svc.IsHeadless)
                {
                    foreach (var a in ep.Addresses)
                        if (IpText.TryParse(a.Ip, out var ip)) result.Add(($"{_view.EndpointName(a)}.{svcName}", ip));
                }
                else
                {
                    foreach (var cip in svc.ClusterIPs)
                        if (IpText.TryParse(cip, out var ip)) result.Add((svcName, ip));
                }
            }
        }
        if (result.Count == 0)
            foreach (var local in _localIPs) result.Add(("ns.dns." + zone, local));
        return result;
    }
}
