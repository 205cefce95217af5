using System.Collections.Generic;
using System.Linq;
using FastPath.Dns;
using FastPath.Model.Corefile;
using FastPath.Model.Corefile.Plugins;
using FastPath.Model.Net;

namespace FastPath.Reference.Dns;

/// <summary>The hosts plugin (plugin/hosts/hosts.go): A/AAAA from entries, automatic PTRs, owners lower-cased.</summary>
internal sealed class HostsPlugin
{
    private readonly HostsOptions _o;
    private readonly Dictionary<string, List<System.Net.IPAddress>> _byName = new();
    private readonly Dictionary<string, List<string>> _byAddr = new();

    public HostsPlugin(HostsOptions options)
    {
        _o = options;
        foreach (var e in options.Entries)
        {
            if (!IpText.TryParse(e.Address, out var ip)) continue;
            foreach (var n in e.Names)
            {
                if (!_byName.TryGetValue(n, out var l)) _byName[n] = l = new();
                if (!l.Any(x => x.Equals(ip))) l.Add(ip);
                var key = ip.ToString();
                if (!_byAddr.TryGetValue(key, out var names)) _byAddr[key] = names = new();
                if (!names.Contains(n)) names.Add(n);
            }
        }
    }

    /// <summary>The response, or null to pass the query on.</summary>
    public DnsMessage? Serve(DnsQuery q, DnsRequest state)
    {
        var qname = state.Name;
        var zone = ZoneName.LongestMatch(_o.Zones, qname);
        if (zone is null && state.QType != DnsType.PTR) return null;
        var answers = new List<DnsRecord>();
        uint ttl = (uint)_o.Ttl;
        switch (state.QType)
        {
            case DnsType.PTR:
                var addr = ReverseName.ExtractAddress(qname);
                if (_o.NoReverse || addr is null || !_byAddr.TryGetValue(addr, out var names)) return null;
                answers.AddRange(names.Select(n => new DnsRecord(qname, DnsType.PTR, ttl, new NameData(n))));
                break;
            case DnsType.A:
            case DnsType.AAAA:
                bool v6 = state.QType == DnsType.AAAA;
                if (_byName.TryGetValue(qname, out var ips))
                    answers.AddRange(ips.Where(ip => (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) == v6).Select(ip => DnsRecord.Address(qname, ttl, ip)));
                break;
        }
        if (answers.Count == 0 && !_byName.ContainsKey(qname))
        {
            if (_o.Fallthrough is not null && (_o.Fallthrough.Count == 0 || _o.Fallthrough.Any(z => ZoneName.IsSubdomain(z, qname)))) return null;
            return KubernetesPlugin.Reply(q, Rcode.ServFail, authoritative: false); // no SOA to give an NXDOMAIN with
        }
        var m = KubernetesPlugin.Reply(q, Rcode.NoError, authoritative: true);
        m.Answer.AddRange(answers);
        return m;
    }
}
