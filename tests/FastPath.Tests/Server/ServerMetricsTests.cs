using System;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using FastPath.Dns;
using FastPath.Server;
using Xunit;

namespace FastPath.Tests.Server;

/// <summary>The prometheus counters: each recording thread counts on its own shard; a scrape sums them all.</summary>
public class ServerMetricsTests
{
    private static long Value(string text, string series)
    {
        var m = Regex.Match(text, "^" + Regex.Escape(series) + " (\\d+)$", RegexOptions.Multiline);
        Assert.True(m.Success, $"no series {series} in:\n{text}");
        return long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Counts_recorded_on_several_threads_including_exited_ones_are_summed_at_scrape()
    {
        var metrics = new ServerMetrics("dns://127.0.0.1:53");
        const int threads = 4, each = 10_000;
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            for (int q = 0; q < each; q++) metrics.Record(tcp: i == 0, q % 2 == 0 ? DnsType.A : DnsType.AAAA, q % 3 == 0 ? 3 : 0, 0.0001);
            metrics.Malformed([0x12, 0x34, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]); // QDCOUNT 0
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join()); // the threads have exited: their counts must still be there
        var text = metrics.Render();
        const string s = "server=\"dns://127.0.0.1:53\",zone=\".\"";
        Assert.Equal(each / 2, Value(text, $"coredns_dns_requests_total{{{s},proto=\"tcp\",family=\"1\",type=\"A\"}}"));
        Assert.Equal(3 * each / 2, Value(text, $"coredns_dns_requests_total{{{s},proto=\"udp\",family=\"1\",type=\"AAAA\"}}"));
        int nx = threads * Enumerable.Range(0, each).Count(q => q % 3 == 0);
        Assert.Equal(nx, Value(text, $"coredns_dns_responses_total{{{s},rcode=\"NXDOMAIN\",plugin=\"\"}}"));
        Assert.Equal(threads * each - nx, Value(text, $"coredns_dns_responses_total{{{s},rcode=\"NOERROR\",plugin=\"\"}}"));
        Assert.Equal(threads * each, Value(text, $"coredns_dns_request_duration_seconds_count{{{s},type=\"all\"}}"));
        Assert.Equal(threads * each, Value(text, $"coredns_dns_request_duration_seconds_bucket{{{s},type=\"all\",le=\"0.00025\"}}"));
        Assert.Equal(threads, Value(text, "fastpath_dns_malformed_total{server=\"dns://127.0.0.1:53\",reason=\"NoQuestion\"}"));
    }
}
