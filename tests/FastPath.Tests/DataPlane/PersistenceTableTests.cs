using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FastPath.Runtime;
using FastPath.Runtime.Affinity;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FastPath.Tests.DataPlane;

public class PersistenceTableTests
{
    private static PersistenceKey Key(uint client, ushort port = 80) =>
        new(IpKey.FromIPv4(0x0A600001), port, 6, IpKey.FromIPv4(client));

    [Fact]
    public void Lookup_re_arms_the_full_timeout_and_expiry_frees_the_entry()
    {
        var time = new FakeTimeProvider();
        var t = new PersistenceTable(64, time);
        t.Set(Key(1), 7, 10);
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(7, t.Lookup(Key(1), 10));
        time.Advance(TimeSpan.FromSeconds(9)); // 18 s after creation, 9 s after the last use
        Assert.Equal(7, t.Lookup(Key(1), 10));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(-1, t.Lookup(Key(1), 10));
        Assert.Equal(0, t.CountLive());
    }

    [Fact]
    public void A_full_probe_window_finds_and_re_arms_every_template_whether_or_not_it_sits_in_its_first_slot()
    {
        // Capacity 16: one shard, one window, so most of the 16 keys live past their first probe slot.
        var time = new FakeTimeProvider();
        var t = new PersistenceTable(16, time);
        for (uint i = 0; i < 16; i++) t.Set(Key(i), (int)i + 100, 10);
        Assert.Equal(0, t.Evictions);
        for (int round = 0; round < 3; round++)
        {
            for (uint i = 0; i < 16; i++) Assert.Equal((int)i + 100, t.Lookup(Key(i), 10));
            time.Advance(TimeSpan.FromSeconds(9)); // each round re-armed every template to the full 10 s
        }
        time.Advance(TimeSpan.FromSeconds(1));
        for (uint i = 0; i < 16; i++) Assert.Equal(-1, t.Lookup(Key(i), 10));
    }

    [Fact]
    public void A_selector_finds_a_lone_template_in_its_first_slot_by_the_service_share_of_the_hash()
    {
        var t = new PersistenceTable(1 << 10, new FakeTimeProvider());
        var key = Key(1);
        t.Set(key, 7, 10); // placed by the whole key's hash
        Assert.Equal(7, t.LookupFirstSlot(new AffinitySettings(t, key.Service, key.Port, key.Protocol, 10), key.Client));
        Assert.Equal(-1, t.LookupFirstSlot(new AffinitySettings(t, key.Service, 443, key.Protocol, 10), key.Client));
    }

    [Fact]
    public void A_lookup_in_the_tick_of_the_last_use_leaves_the_expiry_where_it_was()
    {
        var time = new FakeTimeProvider();
        var t = new PersistenceTable(64, time);
        t.Set(Key(1), 7, 10);
        Assert.Equal(7, t.Lookup(Key(1), 10)); // the same instant: the same expiry, nothing to store
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(7, t.Lookup(Key(1), 10)); // a later instant re-arms: 14 s after creation
        time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Equal(7, t.Lookup(Key(1), 10));
        Assert.Equal(7, t.Lookup(Key(1), 20)); // a longer timeout re-arms even within the same instant
        time.Advance(TimeSpan.FromSeconds(19.9));
        Assert.Equal(7, t.Lookup(Key(1), 10));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(-1, t.Lookup(Key(1), 10));
    }

    [Fact]
    public void Open_connections_keep_a_template_alive_past_its_timeout()
    {
        var time = new FakeTimeProvider();
        var t = new PersistenceTable(64, time);
        t.Set(Key(1), 3, 10);
        t.Control(Key(1), +1);
        time.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal(3, t.Lookup(Key(1), 10));
        t.Control(Key(1), -1);
        time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(-1, t.Lookup(Key(1), 10));
    }

    [Fact]
    public void Keys_differ_by_service_port_and_protocol()
    {
        var t = new PersistenceTable(64, new FakeTimeProvider());
        t.Set(Key(1, 80), 1, 60);
        t.Set(Key(1, 443), 2, 60);
        t.Set(Key(1, 80) with { Protocol = 17 }, 3, 60);
        Assert.Equal((1, 2, 3), (t.Lookup(Key(1, 80), 60), t.Lookup(Key(1, 443), 60), t.Lookup(Key(1, 80) with { Protocol = 17 }, 60)));
    }

    [Fact]
    public void A_full_table_evicts_the_entry_nearest_to_expiry_and_never_exceeds_capacity()
    {
        var time = new FakeTimeProvider();
        var t = new PersistenceTable(64, time);
        for (uint i = 0; i < 1000; i++)
        {
            t.Set(Key(i), (int)i, 3600);
            time.Advance(TimeSpan.FromMilliseconds(1));
        }
        Assert.True(t.CountLive() <= t.Capacity);
        Assert.True(t.Evictions > 0);
        // The newest entries survive; the oldest ones were the ones to go.
        Assert.Equal(999, t.Lookup(Key(999), 3600));
        Assert.Equal(-1, t.Lookup(Key(0), 3600));
    }

    [Fact]
    public void Many_threads_lose_no_entry_and_tear_none()
    {
        var t = new PersistenceTable(1 << 16, new FakeTimeProvider());
        const int threads = 8, perThread = 2000;
        int torn = 0;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, th =>
        {
            for (int i = 0; i < perThread; i++)
            {
                uint client = (uint)(th * perThread + i);
                t.Set(Key(client), (int)client, 600);
                // Readers of other threads' keys see either nothing yet or exactly the value written for that key.
                uint other = (uint)(((th + 1) % threads) * perThread + i);
                int seen = t.Lookup(Key(other), 600);
                if (seen != -1 && seen != (int)other) Interlocked.Increment(ref torn);
            }
        });
        Assert.Equal(0, torn);
        Assert.Equal(0, t.Evictions); // at a quarter of capacity the probe windows never fill
        int lost = Enumerable.Range(0, threads * perThread).Count(c => t.Lookup(Key((uint)c), 600) != c);
        Assert.Equal(0, lost);
        Assert.Equal(threads * perThread, t.CountLive());
    }
}
