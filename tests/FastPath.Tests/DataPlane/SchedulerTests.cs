using System;
using System.Linq;
using FastPath.Runtime;
using FastPath.Runtime.Scheduling;
using Xunit;

namespace FastPath.Tests.DataPlane;

public class SchedulerTests
{
    private static UInt128 Client(uint i) => IpKey.FromIPv4(0xC0000000 + i);

    [Fact]
    public void Rr_is_exact_and_skips_quiesced_destinations()
    {
        var rr = new RoundRobinScheduler([1, 1, 1, 1]);
        var counts = new int[4];
        for (int i = 0; i < 4000; i++) counts[rr.Pick(Client(0))]++;
        Assert.All(counts, c => Assert.Equal(1000, c));
        var quiesced = new RoundRobinScheduler([1, 0, 1]);
        Assert.Equal(new[] { 0, 2, 0, 2 }, Enumerable.Range(0, 4).Select(_ => quiesced.Pick(Client(0))));
        Assert.Equal(-1, new RoundRobinScheduler([0, 0]).Pick(Client(0)));
    }

    [Fact]
    public void Wrr_interleaves_by_weight_as_ipvs_does()
    {
        var wrr = new WeightedRoundRobinScheduler([4, 3, 2]);
        var seq = string.Concat(Enumerable.Range(0, 18).Select(_ => "ABC"[wrr.Pick(Client(0))]));
        Assert.Equal("AABABCABCAABABCABC", seq);
        var counts = new int[3];
        var w2 = new WeightedRoundRobinScheduler([5, 1, 0]);
        for (int i = 0; i < 600; i++) counts[w2.Pick(Client(0))]++;
        Assert.Equal(new[] { 500, 100, 0 }, counts);
    }

    [Fact]
    public void Lc_follows_open_connections()
    {
        var lc = new LeastConnectionScheduler([1, 1, 1]);
        Assert.Equal(0, lc.Pick(Client(0)));
        lc.Opened(0); lc.Opened(0); lc.Opened(1);
        Assert.Equal(2, lc.Pick(Client(0)));
        lc.Opened(2); lc.Opened(2);
        Assert.Equal(1, lc.Pick(Client(0)));
        lc.Closed(0); lc.Closed(0);
        Assert.Equal(0, lc.Pick(Client(0)));
    }

    [Fact]
    public void Sh_keeps_a_client_on_one_destination_and_spreads_by_weight()
    {
        var sh = new SourceHashScheduler([1, 1]);
        for (uint c = 0; c < 100; c++) Assert.Equal(sh.Pick(Client(c)), sh.Pick(Client(c)));
        var weighted = new SourceHashScheduler([3, 1]);
        int zeros = Enumerable.Range(0, 256).Count(b => weighted.Pick(IpKey.FromIPv4(FindIpForBucket(b))) == 0);
        Assert.Equal(192, zeros);
    }

    /// <summary>An address whose sh bucket is b (the multiplier is odd, so one exists for every bucket).</summary>
    private static uint FindIpForBucket(int b)
    {
        for (uint ip = 0; ; ip++) if (SourceHashScheduler.Bucket(IpKey.FromIPv4(ip)) == b) return ip;
    }

    [Fact]
    public void Mh_fills_the_table_evenly_and_remaps_about_one_in_n_when_a_destination_goes()
    {
        var keys = Enumerable.Range(1, 10).Select(i => $"10.0.0.{i}:80").ToList();
        var all = new MaglevScheduler(Enumerable.Repeat(1, 10).ToArray(), keys);
        var owned = Enumerable.Range(0, MaglevScheduler.TableSize).GroupBy(all.Owner).Select(g => g.Count()).ToList();
        Assert.Equal(10, owned.Count);
        Assert.All(owned, n => Assert.InRange(n, 409, 410));

        var nine = new MaglevScheduler(Enumerable.Repeat(1, 9).ToArray(), keys.Skip(1).ToList());
        int moved = 0, clients = 20000;
        for (uint c = 0; c < clients; c++)
        {
            var before = keys[all.Pick(Client(c))];
            var after = keys.Skip(1).ToList()[nine.Pick(Client(c))];
            if (before != after && before != keys[0]) moved++;
        }
        // Only the clients of the removed destination (1/10) must move; Maglev moves few others.
        Assert.True(moved < clients * 0.03, $"{moved} of {clients} clients of surviving destinations moved");
    }

    [Fact]
    public void Unknown_scheduler_names_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Scheduler.Create("fastest", [1], ["a"]));
        Assert.IsType<MaglevScheduler>(Scheduler.Create("mh", [1], ["a"]));
    }
}
