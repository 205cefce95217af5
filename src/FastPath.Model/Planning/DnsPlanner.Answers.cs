using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using FastPath.Model.Corefile;
using FastPath.Model.Corefile.Plugins;
using FastPath.Model.Net;
using FastPath.Model.Tables;
// The planner rewrite in flight still spells the query-type group QClass; the alias keeps that merge clean.
using QClass = FastPath.Model.Tables.QueryTypeGroup;

namespace FastPath.Model.Planning;

public sealed partial class DnsPlanner
{
    /// <summary>Something a name resolves to: an IP or a name (ExternalName), a port, the name it lives at, or TXT.</summary>
    private sealed record Bk(string Host, int Port, NameRef Target, uint Ttl, string? Text = null)
    {
        public bool IsIp(out IPAddress ip) => IpText.TryParse(Host, out ip);
    }

    private static readonly QClass[] Classes = (QClass[])Enum.GetValues(typeof(QClass));

    private PlanEntry? Entry(string name, int zi, string z, string source)
    {
        var answers = new Dictionary<QClass, PlanAnswer>();
        bool exists = false;
        foreach (var qc in Classes)
        {
            var a = Answer(name, z, qc, NameRef.QName);
            answers[qc] = a;
            if (qc != QClass.SOA && a.Rcode != 3) exists = true;
        }
        if (!exists) return null; // answered by rule: NXDOMAIN (NODATA for SOA)
        var flags = EntryFlags.None;
        if (name == z) flags |= EntryFlags.NsNeedsLowerCase;
        if (name == "ns.dns." + z) flags |= EntryFlags.ZoneNeedsLowerCase;
        return new PlanEntry(name, zi, flags, answers, source);
    }

    /// <summary>The whole answer for a name and question class, with records owned by <paramref name="owner"/>.</summary>
    private PlanAnswer Answer(string name, string z, QClass qc, NameRef owner)
    {
        List<PlanRecord>? records;
        var extra = new List<PlanRecord>();
        switch (qc)
        {
            case QClass.A: records = Address(name, z, PlanType.A, owner, []); break;
            case QClass.AAAA: records = Address(name, z, PlanType.AAAA, owner, []); break;
            case QClass.TXT:
                var txt = Services(name, z, QClass.TXT);
                records = txt?.Where(b => b.Text is not null).Select(b => new PlanRecord(owner, PlanType.TXT, b.Ttl) { Text = b.Text }).ToList();
                break;
            case QClass.CNAME:
                var c = Services(name, z, QClass.CNAME);
                records = c is null ? null : c.Count > 0 && !c[0].IsIp(out _) ? [new PlanRecord(owner, PlanType.CNAME, _ttl) { Target = NameRef.Literal(Fqdn(c[0].Host)) }] : [];
                break;
            case QClass.PTR: records = Ptr(name, z, owner); break;
            case QClass.MX: records = Services(name, z, QClass.MX) is null ? null : []; break;
            case QClass.SRV: records = Srv(name, z, owner, extra); break;
            case QClass.SOA: records = name == z ? [Soa()] : []; break;
            case QClass.NS when name == z: records = Ns(z, owner, extra); break;
            default: records = Address(name, z, PlanType.A, owner, []) is null ? null : []; break;
        }
        if (records is null) return new PlanAnswer(3, true, [], [Soa()], []);
        if (records.Count == 0) return new PlanAnswer(0, true, [], [Soa()], []);
        return new PlanAnswer(0, true, records, [], extra);
    }

    private PlanRecord Soa() => new(NameRef.InZone(""), PlanType.SOA, Math.Min(_ttl, 300u))
    {
        Target = NameRef.InZone("ns.dns"), Text = "hostmaster", Serial = _serial, Minimum = _ttl,
    };

    private static string Fqdn(string n) => n.EndsWith(".", StringComparison.Ordinal) ? n : n + ".";

    /// <summary>A or AAAA, following ExternalName CNAMEs: inside the zone recursively, elsewhere as the server would.</summary>
    private List<PlanRecord>? Address(string name, string z, PlanType family, NameRef owner, List<string> previous)
    {
        var services = Services(name, z, family == PlanType.A ? QClass.A : QClass.AAAA);
        if (services is null) return null;
        var records = new List<PlanRecord>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var b in services)
        {
            if (b.IsIp(out var ip))
            {
                bool v6 = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
                if ((family == PlanType.AAAA) == v6 && seen.Add(b.Host))
                    records.Add(new PlanRecord(owner, family, b.Ttl) { Address = ip.GetAddressBytes() });
                continue;
            }
            var target = Fqdn(b.Host);
            if (string.Equals(target, name, StringComparison.OrdinalIgnoreCase) || previous.Count > 7) continue;
            if (previous.Any(p => string.Equals(p, target, StringComparison.OrdinalIgnoreCase))) continue;
            var cname = new PlanRecord(owner, PlanType.CNAME, _ttl) { Target = NameRef.Literal(target) };
            var lower = target.ToLowerInvariant();
            if (ZoneName.IsSubdomain(z, lower))
            {
                var next = Address(lower, z, family, NameRef.Literal(target), [.. previous, target]);
                if (next is { Count: > 0 }) { records.Add(cname); records.AddRange(next); }
                continue;
            }
            records.Add(cname);
            // Out of this zone the server asks itself; another kubernetes zone of the block answers, anything else adds nothing.
            var other = ZoneName.LongestMatch(_k.Zones, lower);
            if (other is not null)
                records.AddRange(Answer(lower, other, family == PlanType.A ? QClass.A : QClass.AAAA, NameRef.Literal(target)).Answer);
        }
        return records;
    }

    private List<PlanRecord>? Srv(string name, string z, NameRef owner, List<PlanRecord> extra)
    {
        var services = Services(name, z, QClass.SRV);
        if (services is null) return null;
        var records = new List<PlanRecord>();
        var srvSeen = new HashSet<(NameRef, int)>();
        var addrSeen = new HashSet<(NameRef, string)>();
        int total = services.Count * 100; // every backend counts, sentinel ports too
        foreach (var b in services)
        {
            if (b.Port == -1 || !b.IsIp(out var ip)) continue;
            ushort weight = (ushort)Math.Max(1, Math.Floor(100.0 / total * 100));
            if (srvSeen.Add((b.Target, b.Port)))
                records.Add(new PlanRecord(owner, PlanType.SRV, _ttl) { Priority = 0, Weight = weight, Port = (ushort)b.Port, Target = b.Target });
            if (addrSeen.Add((b.Target, b.Host)))
                extra.Add(new PlanRecord(b.Target, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? PlanType.AAAA : PlanType.A, _ttl) { Address = ip.GetAddressBytes() });
        }
        return records;
    }

    private List<PlanRecord> Ns(string z, NameRef owner, List<PlanRecord> extra)
    {
        var records = new List<PlanRecord>();
        var seen = new HashSet<NameRef>();
        foreach (var (nsName, ip) in NsAddrs())
        {
            extra.Add(new PlanRecord(nsName, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? PlanType.AAAA : PlanType.A, _ttl) { Address = ip.GetAddressBytes() });
            if (seen.Add(nsName)) records.Add(new PlanRecord(owner, PlanType.NS, _ttl) { Target = nsName });
        }
        return records;
    }

    /// <summary>The server's names: the Services whose ready endpoints hold one of its addresses, else ns.dns.</summary>
    private List<(NameRef Name, IPAddress Ip)> NsAddrs()
    {
        var result = new List<(NameRef, IPAddress)>();
        foreach (var local in _dnsIps)
        {
            var text = local.ToString();
            foreach (var sl in _v.AllSlices)
                {
                    if (!sl.Ready.Any(r => r.Ip == text)) continue;
                    var svc = _v.Cluster.FindService(sl.Namespace, sl.Service);
                    if (svc is null) continue;
                    if (svc.IsHeadless)
                    {
                        foreach (var (e, ip) in sl.Ready)
                            if (IpText.TryParse(ip, out var a)) result.Add((NameRef.InZone($"{_v.NameOf(e, ip)}.{svc.Name}.{svc.Namespace}.svc"), a));
                    }
                    else
                        foreach (var cip in svc.ClusterIPs)
                            if (IpText.TryParse(cip, out var a)) result.Add((NameRef.InZone($"{svc.Name}.{svc.Namespace}.svc"), a));
                }
        }
        if (result.Count == 0) foreach (var local in _dnsIps) result.Add((NameRef.InZone("ns.dns"), local));
        return result;
    }

    private List<PlanRecord>? Ptr(string name, string z, NameRef owner)
    {
        var ip = AddressOfReverseName(name);
        if (ip is null) return Records(name, z) is null ? null : [];
        var primary = _k.PrimaryZone ?? ".";
        if (_v.ServiceByIp.TryGetValue(ip, out var s))
            return [new PlanRecord(owner, PlanType.PTR, _ttl) { Target = NameRef.Literal($"{s.Name}.{s.Namespace}.svc.{primary}") }];
        var records = new List<PlanRecord>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (_v.EndpointsByIp.TryGetValue(ip, out var eps))
            foreach (var (sl, e) in eps)
            {
                var t = $"{_v.NameOf(e, ip)}.{sl.Service}.{sl.Namespace}.svc.{primary}";
                if (seen.Add(t)) records.Add(new PlanRecord(owner, PlanType.PTR, _ttl) { Target = NameRef.Literal(t) });
            }
        return records.Count == 0 ? null : records;
    }

    /// <summary>The canonical address a full in-addr.arpa or ip6.arpa name stands for; null otherwise.</summary>
    internal static string? AddressOfReverseName(string name)
    {
        var labels = name.TrimEnd('.').Split('.');
        if (name.EndsWith(".in-addr.arpa.", StringComparison.Ordinal) && labels.Length == 6)
        {
            var b = new byte[4];
            for (int i = 0; i < 4; i++)
                if (!byte.TryParse(labels[3 - i], NumberStyles.None, CultureInfo.InvariantCulture, out b[i])) return null;
            return new IPAddress(b).ToString();
        }
        if (name.EndsWith(".ip6.arpa.", StringComparison.Ordinal) && labels.Length == 34)
        {
            var b = new byte[16];
            for (int i = 0; i < 32; i++)
            {
                var l = labels[31 - i];
                if (l.Length != 1 || !int.TryParse(l, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int nib)) return null;
                b[i / 2] |= (byte)(i % 2 == 0 ? nib << 4 : nib);
            }
            return new IPAddress(b).ToString();
        }
        return null;
    }
}
