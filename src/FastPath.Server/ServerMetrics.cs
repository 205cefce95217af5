using System;
using System.Globalization;
using System.Text;
using System.Threading;
using FastPath.Dns;
using FastPath.Dns.Wire;

namespace FastPath.Server;

/// <summary>
/// CoreDNS-style Prometheus metrics (plugin/metrics): request and response counters and a duration histogram,
/// counted in fixed arrays so recording a query allocates nothing; text is built only when /metrics is read.
/// Every label takes values from a fixed set (11 query types and "other", udp/tcp, 16 rcodes, the malformed-packet
/// reasons), so no flood of names, types or clients can grow the number of series: at most
/// <see cref="MaxSeries"/>.
/// </summary>
internal sealed class ServerMetrics(string server)
{
    private static readonly double[] Buckets = [0.00025, 0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192];
    private static readonly DnsType[] Types = [DnsType.A, DnsType.AAAA, DnsType.SRV, DnsType.PTR, DnsType.TXT, DnsType.CNAME, DnsType.NS, DnsType.SOA, DnsType.MX, DnsType.ANY, DnsType.HTTPS];
    private readonly long[] _requests = new long[2 * (Types.Length + 1)];
    private readonly long[] _responses = new long[16];
    private readonly long[] _buckets = new long[Buckets.Length + 1];
    private readonly long[] _malformed = new long[Enum.GetValues<WireError>().Length];
    private long _micros, _count;

    /// <summary>The most series <see cref="Render"/> can write, whatever the traffic.</summary>
    public static int MaxSeries => 2 * (Types.Length + 1) + 16 + Buckets.Length + 1 + 2 + Enum.GetValues<WireError>().Length + 1;

    /// <summary>
    /// Counts a query that was dropped or refused before resolution, by reason (fastpath_dns_malformed_total; CoreDNS
    /// has no such counter: miekg/dns answers FORMERR before the metrics plugin sees the query). Well-formed queries
    /// are not counted.
    /// </summary>
    public void Malformed(ReadOnlySpan<byte> query)
    {
        if (DnsWireReader.CheckQuery(query, out _, out _, out _, out var error) == QueryVerdict.Answer) return;
        Interlocked.Increment(ref _malformed[(int)error]);
    }

    public void Record(bool tcp, DnsType type, int rcode, double seconds)
    {
        int t = Array.IndexOf(Types, type);
        Interlocked.Increment(ref _requests[(tcp ? 1 : 0) * (Types.Length + 1) + (t < 0 ? Types.Length : t)]);
        Interlocked.Increment(ref _responses[rcode & 0xF]);
        int b = 0;
        while (b < Buckets.Length && seconds > Buckets[b]) b++;
        Interlocked.Increment(ref _buckets[b]);
        Interlocked.Add(ref _micros, (long)(seconds * 1e6));
        Interlocked.Increment(ref _count);
    }

    public string Render()
    {
        string N(long v) => v.ToString(CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.Append("# HELP coredns_dns_requests_total Counter of DNS requests made per zone, protocol and family.\n# TYPE coredns_dns_requests_total counter\n");
        for (int p = 0; p < 2; p++)
            for (int t = 0; t <= Types.Length; t++)
            {
                long v = Interlocked.Read(ref _requests[p * (Types.Length + 1) + t]);
                if (v == 0) continue;
                var type = t < Types.Length ? DnsNaming.TypeText(Types[t]) : "other";
                sb.Append($"coredns_dns_requests_total{{server=\"{server}\",zone=\".\",proto=\"{(p == 0 ? "udp" : "tcp")}\",family=\"1\",type=\"{type}\"}} {N(v)}\n");
            }
        sb.Append("# HELP coredns_dns_responses_total Counter of response status codes.\n# TYPE coredns_dns_responses_total counter\n");
        for (int r = 0; r < 16; r++)
        {
            long v = Interlocked.Read(ref _responses[r]);
            if (v > 0) sb.Append($"coredns_dns_responses_total{{server=\"{server}\",zone=\".\",rcode=\"{DnsNaming.RcodeText((Rcode)r)}\",plugin=\"\"}} {N(v)}\n");
        }
        sb.Append("# HELP coredns_dns_request_duration_seconds Histogram of the time (in seconds) each request took.\n# TYPE coredns_dns_request_duration_seconds histogram\n");
        long cumulative = 0;
        for (int i = 0; i <= Buckets.Length; i++)
        {
            cumulative += Interlocked.Read(ref _buckets[i]);
            var le = i < Buckets.Length ? Buckets[i].ToString(CultureInfo.InvariantCulture) : "+Inf";
            sb.Append($"coredns_dns_request_duration_seconds_bucket{{server=\"{server}\",zone=\".\",type=\"all\",le=\"{le}\"}} {N(cumulative)}\n");
        }
        sb.Append($"coredns_dns_request_duration_seconds_sum{{server=\"{server}\",zone=\".\",type=\"all\"}} {(Interlocked.Read(ref _micros) / 1e6).ToString(CultureInfo.InvariantCulture)}\n");
        sb.Append($"coredns_dns_request_duration_seconds_count{{server=\"{server}\",zone=\".\",type=\"all\"}} {N(Interlocked.Read(ref _count))}\n");
        sb.Append("# HELP fastpath_dns_malformed_total Queries dropped or answered FORMERR, NOTIMP, SERVFAIL or REFUSED before resolution, by reason.\n# TYPE fastpath_dns_malformed_total counter\n");
        var reasons = Enum.GetNames<WireError>();
        for (int i = 0; i < _malformed.Length; i++)
        {
            long v = Interlocked.Read(ref _malformed[i]);
            if (v > 0) sb.Append($"fastpath_dns_malformed_total{{server=\"{server}\",reason=\"{reasons[i]}\"}} {N(v)}\n");
        }
        sb.Append("# HELP coredns_build_info A metric with a constant '1' value labeled by version.\n# TYPE coredns_build_info gauge\ncoredns_build_info{version=\"fastpath\"} 1\n");
        return sb.ToString();
    }
}
