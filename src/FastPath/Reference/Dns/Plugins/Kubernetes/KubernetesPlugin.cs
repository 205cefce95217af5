using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using FastPath.Dns;
using FastPath.Model;
using FastPath.Model.Corefile;
using FastPath.Model.Corefile.Plugins;

namespace FastPath.Reference.Dns;

/// <summary>The kubernetes plugin's handler (plugin/kubernetes/handler.go): dispatch on qtype, then NXDOMAIN vs NODATA.</summary>
internal sealed class KubernetesPlugin
{
    private readonly KubernetesView _view;
    private readonly KubernetesRecords _records;
    private readonly BackendLookup _lookup;
    private readonly uint _serial;

    public KubernetesPlugin(Cluster cluster, KubernetesOptions options, IReadOnlyList<IPAddress> localIPs, Func<string, DnsType, int, DnsMessage?> upstream)
    {
        _view = new KubernetesView(cluster, options);
        _records = new KubernetesRecords(_view, localIPs);
        _lookup = new BackendLookup(_records, upstream);
        // CoreDNS's serial is the time of the last cluster change; ours comes from the content so output is reproducible.
        _serial = uint.Parse(cluster.ContentHash.AsSpan(0, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    public KubernetesOptions Options => _view.Options;

    /// <summary>Whether the plugin is authoritative for the name (longest matching zone).</summary>
    public string? MatchZone(string lowerName) => ZoneName.LongestMatch(_view.Options.Zones, lowerName);

    /// <summary>The response, or null when the query goes on to the next plugin (a zone miss or fallthrough).</summary>
    public DnsMessage? Serve(DnsQuery query, DnsRequest req)
    {
        var matched = MatchZone(req.Name);
        if (matched is null) return null;
        // The zone keeps the query's own spelling.
        string zone = req.QName.Substring(req.QName.Length - matched.Length);
        var state = req with { Zone = zone };
        var answer = new List<DnsRecord>();
        var extra = new List<DnsRecord>();
        bool truncated = false;
        try
        {
            switch (state.QType)
            {
                case DnsType.A: answer = _lookup.Address(zone, state, DnsType.A, [], ref truncated); break;
                case DnsType.AAAA: answer = _lookup.Address(zone, state, DnsType.AAAA, [], ref truncated); break;
                case DnsType.TXT: answer = _lookup.Txt(state); break;
                case DnsType.CNAME: answer = _lookup.Cname(state); break;
                case DnsType.PTR: answer = _lookup.Ptr(state); break;
                case DnsType.MX: _records.Services(state); break; // kubernetes has no mail records: NODATA or a name error
                case DnsType.SRV: (answer, extra) = _lookup.Srv(zone, state); break;
                case DnsType.SOA:
                    if (state.QName == zone) answer = [Soa(zone)];
                    break;
                case DnsType.AXFR:
                case DnsType.IXFR:
                    return Reply(query, Rcode.Refused, authoritative: false);
                case DnsType.NS when state.Name == zone:
                    (answer, extra) = _lookup.Ns(zone, state);
                    break;
                default:
                    // Any other type: a fake A lookup tells NXDOMAIN from NODATA.
                    _lookup.Address(zone, state.WithQuestion(state.QName, DnsType.A) with { Zone = zone }, DnsType.A, [], ref truncated);
                    break;
            }
        }
        catch (NameErrorException)
        {
            if (_view.Options.FallsThrough(state.Name)) return null;
            return Negative(query, zone, Rcode.NXDomain);
        }
        if (answer.Count == 0) return Negative(query, zone, Rcode.NoError);
        var m = Reply(query, Rcode.NoError, authoritative: true);
        m.Truncated = truncated;
        m.Answer.AddRange(answer);
        m.Additional.AddRange(extra);
        return m;
    }

    private DnsRecord Soa(string zone) => BackendLookup.Soa(zone, (uint)_view.Options.Ttl, _serial);

    private DnsMessage Negative(DnsQuery q, string zone, Rcode rcode)
    {
        var m = Reply(q, rcode, authoritative: true);
        m.Authority.Add(Soa(zone));
        return m;
    }

    internal static DnsMessage Reply(DnsQuery q, Rcode rcode, bool authoritative) => new()
    {
        Id = q.Id,
        Question = new DnsQuestion(DnsNaming.Fqdn(q.Name), q.Type, q.Class),
        Rcode = rcode,
        Authoritative = authoritative,
        RecursionDesired = q.RecursionDesired,
    };
}
