using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Model.Corefile.Plugins;
using FastPath.Server;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using Xunit.Abstractions;

namespace FastPath.Tests.Concurrency;

/// <summary>
/// Floods of distinct names, types and clients, from several threads, leave the response cache, the loop detector and
/// the metrics within their documented bounds.
/// </summary>
public class BoundedMemoryTests(ITestOutputHelper output)
{
    /// <summary>An upstream's reply to the query: NOERROR with one A record, or NXDOMAIN with an SOA.</summary>
    private static byte[] Reply(byte[] query, bool denial)
    {
        var m = new DnsMessage
        {
            Id = (ushort)(query[0] << 8 | query[1]),
            Question = DnsWireReader.ReadMessage(query)!.Question,
            Rcode = denial ? Rcode.NXDomain : Rcode.NoError,
            RecursionDesired = true,
        };
        if (denial) m.Authority.Add(new DnsRecord("example.", DnsType.SOA, 300, new SoaData("ns.example.", "hostmaster.example.", 1, 7200, 1800, 86400, 30)));
        else m.Answer.Add(DnsRecord.Address(m.Question.Name, 300, IPAddress.Parse("192.0.2.1")));
        return DnsWireWriter.Encode(m);
    }

    [Fact]
    public void A_flood_of_distinct_names_keeps_each_cache_within_its_capacity_and_evicts_to_admit_new_names()
    {
        // CoreDNS's semantics: 256 shards of max(capacity/256, 4) entries each, per cache.
        var cache = new ResponseCache(new CacheOptions { SuccessCapacity = 2048, DenialCapacity = 1024 }, new FakeTimeProvider());
        Assert.Equal(2048 + 1024, cache.MaxEntries);
        long before = GC.GetTotalMemory(forceFullCollection: true);
        Parallel.For(0, 4, t =>
        {
            for (int i = 0; i < 12_500; i++)
            {
                var q = DnsWireWriter.Query(1, $"n{t}-{i}.flood.example", DnsType.A);
                cache.Put(q, Reply(q, denial: i % 2 == 0));
            }
        });
        long after = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"50,000 distinct names: {cache.Count} entries held (bound {cache.MaxEntries}), {cache.Evictions} evicted, managed heap +{(after - before) / 1024} KiB");
        Assert.InRange(cache.Count, 1, cache.MaxEntries);
        Assert.True(cache.Evictions >= 50_000 - cache.MaxEntries, $"only {cache.Evictions} evictions");
        // A full cache keeps learning: of 5,000 new names put one after another, a good share is still held (random
        // eviction keeps about half; refusing new names, or evicting the newest, would keep almost none).
        for (int i = 0; i < 5000; i++)
        {
            var q = DnsWireWriter.Query(1, $"late-{i}.flood.example", DnsType.A);
            cache.Put(q, Reply(q, denial: false));
            Assert.NotNull(cache.Get(q));
        }
        int held = Enumerable.Range(0, 5000).Count(i => cache.Get(DnsWireWriter.Query(1, $"late-{i}.flood.example", DnsType.A)) is not null);
        output.WriteLine($"of 5,000 names put into the full cache afterwards, {held} are held");
        Assert.InRange(held, 1250, 2048);
    }

    [Fact]
    public void A_small_capacity_still_holds_four_entries_per_shard_as_coredns_does()
    {
        var cache = new ResponseCache(new CacheOptions { SuccessCapacity = 10, DenialCapacity = 10 }, new FakeTimeProvider());
        Assert.Equal(2 * 256 * 4, cache.MaxEntries);
    }

    [Fact]
    public void Denials_and_successes_are_bounded_separately()
    {
        var cache = new ResponseCache(new CacheOptions { SuccessCapacity = 1024, DenialCapacity = 1024 }, new FakeTimeProvider());
        for (int i = 0; i < 5000; i++)
        {
            var q = DnsWireWriter.Query(1, $"gone-{i}.example", DnsType.A);
            cache.Put(q, Reply(q, denial: true));
        }
        // A flood of NXDOMAINs cannot push positive answers out.
        var keep = DnsWireWriter.Query(1, "kept.example", DnsType.A);
        cache.Put(keep, Reply(keep, denial: false));
        for (int i = 5000; i < 10000; i++)
        {
            var q = DnsWireWriter.Query(1, $"gone-{i}.example", DnsType.A);
            cache.Put(q, Reply(q, denial: true));
        }
        Assert.NotNull(cache.Get(keep));
        Assert.InRange(cache.Count, 1, 2048);
    }

    [Fact]
    public void The_loop_detector_keeps_no_state_per_name_or_client_and_still_sees_its_probe()
    {
        var loop = new LoopDetector("cluster.local.");
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100_000; i++) Assert.False(loop.Saw($"flood-{i}.example."));
        output.WriteLine($"100,000 non-probe names: {(GC.GetAllocatedBytesForCurrentThread() - before) / 100_000} bytes allocated per query checked, nothing retained");
        Assert.False(loop.Saw(loop.Probe));
        Assert.False(loop.Saw(loop.Probe.ToUpperInvariant()));
        Assert.True(loop.Saw(loop.Probe)); // the third sighting: a loop
    }

    [Fact]
    public void Metrics_series_stay_bounded_under_every_query_type_rcode_and_malformed_reason()
    {
        var metrics = new ServerMetrics("dns://:53");
        for (int t = 0; t < 65536; t++) metrics.Record(t % 2 == 0, (DnsType)t, t & 0xF, 0.0001 * (t % 50));
        var mutator = new FastPath.Fuzz.PacketMutator(5);
        for (int i = 0; i < 20_000; i++) metrics.Malformed(mutator.Next());
        var series = metrics.Render().Split('\n').Count(l => l.Length > 0 && l[0] != '#');
        output.WriteLine($"{series} series after 65,536 query types and 20,000 mutated packets (bound {ServerMetrics.MaxSeries})");
        Assert.InRange(series, 1, ServerMetrics.MaxSeries);
        var text = metrics.Render();
        Assert.Matches(new Regex("fastpath_dns_malformed_total\\{server=\"dns://:53\",reason=\"TooManyRecords\"\\} [1-9]"), text);
        Assert.DoesNotContain("reason=\"None\"", text); // every refusal has a reason
    }
}
