using System.Collections.Generic;
using System.Linq;
using FastPath.Dns;

namespace FastPath.Reference.Dns;

/// <summary>
/// loadbalance round_robin: in NOERROR replies, A/AAAA records change order from one query to the next. CoreDNS
/// shuffles; FastPath rotates by a query counter, so a run is reproducible and every address leads in turn.
/// </summary>
internal static class LoadBalance
{
    public static void Apply(DnsMessage m, ulong counter)
    {
        if (m.Rcode != Rcode.NoError || m.Question.Type is DnsType.AXFR or DnsType.IXFR) return;
        Reorder(m.Answer, counter);
        Reorder(m.Additional, counter);
    }

    private static void Reorder(List<DnsRecord> section, ulong counter)
    {
        if (section.Count < 2) return;
        bool IsAddr(DnsRecord r) => r.Type is DnsType.A or DnsType.AAAA;
        if (section.All(IsAddr)) { Rotate(section, counter); return; }
        // Mixed sections are regrouped: CNAMEs, other types, then the rotated addresses, then rotated MX.
        var cnames = section.Where(r => r.Type == DnsType.CNAME).ToList();
        var addrs = section.Where(IsAddr).ToList();
        var mx = section.Where(r => r.Type == DnsType.MX).ToList();
        var other = section.Where(r => r.Type is not (DnsType.CNAME or DnsType.A or DnsType.AAAA or DnsType.MX)).ToList();
        Rotate(addrs, counter);
        Rotate(mx, counter);
        section.Clear();
        section.AddRange(cnames);
        section.AddRange(other);
        section.AddRange(addrs);
        section.AddRange(mx);
    }

    private static void Rotate(List<DnsRecord> list, ulong counter)
    {
        if (list.Count < 2) return;
        int k = (int)(counter % (ulong)list.Count);
        if (k == 0) return;
        var copy = list.Skip(k).Concat(list.Take(k)).ToList();
        list.Clear();
        list.AddRange(copy);
    }
}
