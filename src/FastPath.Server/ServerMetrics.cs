using System;
using System.Globalization;
using System.Text;
using System.Threading;
using FastPath.Dns;
using FastPath.Dns.Wire;

namespace FastPath.Server;

/// <summary>
/// CoreDNS-style Prometheus metrics (plugin/metrics): request and response counters and a duration histogram,
/// counted in fixed arrays, one per recording thread, so recording a query allocates nothing and contends with no other
/// loop; text is built only when /metrics is read.
/// Every label takes values from a fixed set (11 query types and "other", udp/tcp, 16 rcodes, the malformed-packet
/// reasons), so no flood of names, types or clients can grow the number of series: at most
/// <see cref="MaxSeries"/>.
/// </summary>
internal sealed class ServerMetrics(string server)
{
    private static readonly double[] Buckets = [0.00025, 0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192];
    private static readonly DnsType[] Types = [DnsType.A, DnsType.AAAA, DnsType.SRV, DnsType.PTR, DnsType.TXT, DnsType.CNAME, DnsType.NS, DnsType.SOA, DnsType.MX, DnsType.ANY, DnsType.HTTPS];

    // One shard's counters, laid out in one array: requests by protocol and type, responses by rcode, duration
    // buckets, malformed by reason, then the duration sum (µs) and count. Cache-line padding on both sides keeps two
    // threads' shards from sharing a line.
    private const int Pad = 8; // 64 bytes of longs
    private static readonly int Requests = Pad, Responses = Requests + 2 * (Types.Length + 1), BucketAt = Responses + 16,
        MalformedAt = BucketAt + Buckets.Length + 1, Micros = MalformedAt + Enum.GetValues<WireError>().Length, Count = Micros + 1, Length = Count + 1 + Pad;

    // Each thread that records (a UDP receive loop is one thread; TCP and forwarded replies run on pool threads) owns a
    // shard and is its only writer: plain increments, no interlocked operation, no cache line bounced between the
    // loops. /metrics sums the shards when it is read.
    private readonly ThreadLocal<long[]> _shards = new(() => new long[Length], trackAllValues: true);

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
        _shards.Value![MalformedAt + (int)error]++;
    }

    public void Record(bool tcp, DnsType type, int rcode, double seconds)
    {
        var c = _shards.Value!;
        int t = Array.IndexOf(Types, type);
        c[Requests + (tcp ? 1 : 0) * (Types.Length + 1) + (t < 0 ? Types.Length : t)]++;
        c[Responses + (rcode & 0xF)]++;
        int b = 0;
        while (b < Buckets.Length && seconds > Buckets[b]) b++;
        c[BucketAt + b]++;
        c[Micros] += (long)(seconds * 1e6);
        c[Count]++;
    }

    /// <summary>The counter at <paramref name="index"/> summed over the shards (a shard's owner may be writing: a scrape sees each count whole).</summary>
    private static long Sum(System.Collections.Generic.IList<long[]> shards, int index)
    {
        long sum = 0;
        foreach (var shard in shards) sum += Volatile.Read(ref shard[index]);
        return sum;
    }

    public string Render()
    {
        string N(long v) => v.ToString(CultureInfo.InvariantCulture);
        var shards = _shards.Values; // every thread that ever recorded, exited pool threads too: counts never go down
        var sb = new StringBuilder();
        sb.Append("# HELP coredns_dns_requests_total Counter of DNS requests made per zone, protocol and family.\n# TYPE coredns_dns_requests_total counter\n");
        for (int p = 0; p < 2; p++)
            for (int t = 0; t <= Types.Length; t++)
            {
                long v = Sum(shards, Requests + p * (Types.Length + 1) + t);
                if (v == 0) continue;
                var type = t < Types.Length ? DnsNaming.TypeText(Types[t]) : "other";
                sb.Append($"coredns_dns_requests_total{{server=\"{server}\",zone=\".\",proto=\"{(p == 0 ? "udp" : "tcp")}\",family=\"1\",type=\"{type}\"}} {N(v)}\n");
            }
        sb.Append("# HELP coredns_dns_responses_total Counter of response status codes.\n# TYPE coredns_dns_responses_total counter\n");
        for (int r = 0; r < 16; r++)
        {
            long v = Sum(shards, Responses + r);
            if (v > 0) sb.Append($"coredns_dns_responses_total{{server=\"{server}\",zone=\".\",rcode=\"{DnsNaming.RcodeText((Rcode)r)}\",plugin=\"\"}} {N(v)}\n");
        }
        sb.Append("# HELP coredns_dns_request_duration_seconds Histogram of the time (in seconds) each request took.\n# TYPE coredns_dns_request_duration_seconds histogram\n");
        long cumulative = 0;
        for (int i = 0; i <= Buckets.Length; i++)
        {
            cumulative += Sum(shards, BucketAt + i);
            var le = i < Buckets.Length ? Buckets[i].ToString(CultureInfo.InvariantCulture) : "+Inf";
            sb.Append($"coredns_dns_request_duration_seconds_bucket{{server=\"{server}\",zone=\".\",type=\"all\",le=\"{le}\"}} {N(cumulative)}\n");
        }
        sb.Append($"coredns_dns_request_duration_seconds_sum{{server=\"{server}\",zone=\".\",type=\"all\"}} {(Sum(shards, Micros) / 1e6).ToString(CultureInfo.InvariantCulture)}\n");
        sb.Append($"coredns_dns_request_duration_seconds_count{{server=\"{server}\",zone=\".\",type=\"all\"}} {N(Sum(shards, Count))}\n");
        sb.Append("# HELP fastpath_dns_malformed_total Queries dropped or answered FORMERR, NOTIMP, SERVFAIL or REFUSED before resolution, by reason.\n# TYPE fastpath_dns_malformed_total counter\n");
        var reasons = Enum.GetNames<WireError>();
        for (int i = 0; i < reasons.Length; i++)
        {
            long v = Sum(shards, MalformedAt + i);
            if (v > 0) sb.Append($"fastpath_dns_malformed_total{{server=\"{server}\",reason=\"{reasons[i]}\"}} {N(v)}\n");
        }
        sb.Append("# HELP coredns_build_info A metric with a constant '1' value labeled by version.\n# TYPE coredns_build_info gauge\ncoredns_build_info{version=\"fastpath\"} 1\n");
        return sb.ToString();
    }
}
