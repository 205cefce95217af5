using System;
using System.Collections.Generic;
using System.Linq;
using FastPath.Dns;
using FastPath.Model.Corefile;

namespace FastPath.Reference.Dns;

/// <summary>
/// Turns backends into records as plugin/backend_lookup.go does. <see cref="Upstream"/> resolves a CNAME target that
/// lies outside the zone through the server's own plugin chain (plugin/pkg/upstream); null means "no reply".
/// </summary>
internal sealed class BackendLookup
{
    private readonly KubernetesRecords _records;
    private readonly Func<string, DnsType, int, DnsMessage?> _upstream;

    public BackendLookup(KubernetesRecords records, Func<string, DnsType, int, DnsMessage?> upstream)
    {
        _records = records;
        _upstream = upstream;
    }

    /// <summary>A or AAAA (<paramref name="family"/>), following CNAMEs inside the zone, appending out-of-zone targets' answers.</summary>
    public List<DnsRecord> Address(string zone, DnsRequest state, DnsType family, List<DnsRecord> previous, ref bool truncated)
    {
        var services = CheckForApex(zone, state);
        var records = new List<DnsRecord>();
        var dup = new HashSet<string>(StringComparer.Ordinal);
        foreach (var serv in services)
        {
            var what = serv.HostType(out var ip);
            if (what == DnsType.CNAME)
            {
                var target = DnsNaming.Fqdn(serv.Host);
                if (string.Equals(state.Name, target, StringComparison.OrdinalIgnoreCase)) continue; // x CNAME x
                var cname = new DnsRecord(state.QName, DnsType.CNAME, serv.Ttl, new NameData(target));
                if (previous.Count > 7) continue;
                if (previous.Any(p => p.Type == DnsType.CNAME && string.Equals(((NameData)p.Data).Target, target, StringComparison.OrdinalIgnoreCase))) continue;
                if (ZoneName.IsSubdomain(zone, target))
                {
                    List<DnsRecord> next;
                    try { next = Address(zone, state.WithQuestion(target, state.QType), family, [.. previous, cname], ref truncated); }
                    catch (NameErrorException) { next = []; } // the target does not exist: CoreDNS drops the CNAME with it
                    if (next.Count > 0) { records.Add(cname); records.AddRange(next); }
                    continue;
                }
                var reply = _upstream(target, state.QType, state.Depth);
                if (reply is null) continue;
                if (reply.Truncated) truncated = true;
                records.Add(cname);
                records.AddRange(reply.Answer);
                continue;
            }
            if (what == family && dup.Add(serv.Host))
                records.Add(DnsRecord.Address(state.QName, serv.Ttl, ip!));
        }
        return records;
    }

    /// <summary>At the apex, CoreDNS first looks for an "apex.dns" entry; kubernetes has none, so it asks the apex itself.</summary>
    private List<Backend> CheckForApex(string zone, DnsRequest state)
    {
        if (state.Name != zone) return _records.Services(state);
        try { return _records.Services(state.WithQuestion("apex.dns." + zone, state.QType) with { Zone = zone }); }
        catch (NameErrorException) { return _records.Services(state); }
    }

    public (List<DnsRecord> Records, List<DnsRecord> Extra) Srv(string zone, DnsRequest state)
    {
        var services = _records.Services(state);
        var records = new List<DnsRecord>();
        var extra = new List<DnsRecord>();
        // Every backend counts towards the weight, the -1 sentinel ports included (they are skipped below).
        int total = services.Count * 100;
        var dupSrv = new HashSet<(string, int)>();
        var dupAddr = new HashSet<(string, string)>();
        foreach (var serv in services)
        {
            if (serv.Port == -1) continue;
            ushort weight = (ushort)Math.Max(1, Math.Floor(100.0 / total * 100));
            var what = serv.HostType(out var ip);
            if (what is not (DnsType.A or DnsType.AAAA)) continue;
            var srv = new DnsRecord(state.QName, DnsType.SRV, serv.Ttl, new SrvData(0, weight, (ushort)serv.Port, serv.Target));
            if (dupSrv.Add((serv.Target, serv.Port))) records.Add(srv);
            if (dupAddr.Add((serv.Target, serv.Host))) extra.Add(DnsRecord.Address(serv.Target, serv.Ttl, ip!));
        }
        return (records, extra);
    }

    public List<DnsRecord> Ptr(DnsRequest state)
    {
        var records = new List<DnsRecord>();
        var dup = new HashSet<string>(StringComparer.Ordinal);
        foreach (var serv in _records.Reverse(state))
            if (serv.HostType(out _) == DnsType.CNAME && dup.Add(serv.Host))
                records.Add(new DnsRecord(state.QName, DnsType.PTR, serv.Ttl, new NameData(DnsNaming.Fqdn(serv.Host))));
        return records;
    }

    public List<DnsRecord> Txt(DnsRequest state)
    {
        var records = new List<DnsRecord>();
        foreach (var serv in _records.Services(state))
            if (serv.Text is not null) records.Add(new DnsRecord(state.QName, DnsType.TXT, serv.Ttl, new TxtData([serv.Text])));
        return records;
    }

    public List<DnsRecord> Cname(DnsRequest state)
    {
        var services = _records.Services(state);
        if (services.Count > 0 && services[0].HostType(out _) == DnsType.CNAME)
            return [new DnsRecord(state.QName, DnsType.CNAME, services[0].Ttl, new NameData(DnsNaming.Fqdn(services[0].Host)))];
        return [];
    }

    public (List<DnsRecord> Records, List<DnsRecord> Extra) Ns(string zone, DnsRequest state)
    {
        var services = _records.Services(state.WithQuestion("ns.dns." + zone, DnsType.NS) with { Zone = zone });
        var records = new List<DnsRecord>();
        var extra = new List<DnsRecord>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var serv in services)
        {
            var what = serv.HostType(out var ip);
            if (what is not (DnsType.A or DnsType.AAAA)) continue;
            extra.Add(DnsRecord.Address(serv.Target, serv.Ttl, ip!));
            if (seen.Add(serv.Target)) records.Add(new DnsRecord(state.QName, DnsType.NS, serv.Ttl, new NameData(serv.Target)));
        }
        return (records, extra);
    }

    /// <summary>plugin.SOA: TTL min(ttl, 300), minimum = ttl, serial from the manifests' content.</summary>
    public static DnsRecord Soa(string zone, uint ttl, uint serial) =>
        new(zone, DnsType.SOA, Math.Min(ttl, 300u), new SoaData("ns.dns." + TrimRoot(zone), "hostmaster." + TrimRoot(zone), serial, 7200, 1800, 86400, ttl));

    private static string TrimRoot(string zone) => zone == "." ? "" : zone;
}
