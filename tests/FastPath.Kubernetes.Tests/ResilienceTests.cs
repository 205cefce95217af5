using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Threading.Tasks;
using FastPath.Dns;
using FastPath.Kubernetes.Tests.FakeApi;
using FastPath.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static FastPath.Kubernetes.Tests.FakeApi.ApiObjects;
using static FastPath.Kubernetes.Tests.LiveHarness;

namespace FastPath.Kubernetes.Tests;

/// <summary>Expiry, outages, silent, malformed and truncated streams: the snapshot is never partial and resyncs exactly.</summary>
public sealed class ResilienceTests
{
    private static void Seed(FakeApiServer api)
    {
        api.Apply(Namespace("default"));
        foreach (var name in new[] { "a", "b", "c" })
        {
            api.Apply(Service("default", name, "10.96.0." + (10 + name[0] - 'a')));
            api.Apply(Slice("default", name + "-1", name, [new Ep("10.0.0." + (1 + name[0] - 'a'))]));
        }
    }

    // Read from the snapshot's own tables, not snapshot.Cluster: an incremental snapshot assembles its model on first
    // read from the objects then current (documented on ClusterSnapshot.Cluster), which may already hold a later change.
    private static string[] Services(ClusterSnapshot s) =>
        s.DataPlane.Ports.Where(p => p.Namespace == "default").Select(p => p.Service).Distinct().Order(StringComparer.Ordinal).ToArray();

    /// <summary>Each Service's endpoint count in the snapshot's data plane, as "name:count,…".</summary>
    private static string Endpoints(ClusterSnapshot s) =>
        string.Join(",", s.DataPlane.Ports.Where(p => p.Namespace == "default").OrderBy(p => p.Service, StringComparer.Ordinal).Select(p => p.Service + ":" + p.Endpoints.Count));

    /// <summary>While the watches hear nothing, the cluster changes: b is deleted, c modified, d added.</summary>
    private static void ChangeBehindTheWatches(FakeApiServer api)
    {
        api.MuteWatches();
        api.Delete("Service", "default", "b");
        api.Delete("EndpointSlice", "default", "b-1");
        api.Apply(Slice("default", "c-1", "c", [new Ep("10.0.0.3"), new Ep("10.0.0.33")]));
        api.Apply(Service("default", "d", "10.96.0.13"));
        api.Apply(Slice("default", "d-1", "d", [new Ep("10.0.0.4")]));
    }

    private static void AssertChangedState(ClusterSnapshot s)
    {
        Assert.Equal(["a", "c", "d"], Services(s));
        Assert.Equal(Rcode.NXDomain, RcodeOf(s, "b.default.svc.cluster.local"));
        Assert.Equal(["10.96.0.13"], A(s, "d.default.svc.cluster.local"));
        Assert.Equal(["10.0.0.33:8080", "10.0.0.3:8080"], s.DataPlane.Find("default", "c", "http")!.Endpoints);
        Assert.Null(s.DataPlane.Find("default", "b", "http"));
    }

    [Fact]
    public async Task Expired_watch_relists_with_no_lost_or_phantom_records()
    {
        await using var h = await StartAsync(Seed);
        await h.WaitFor(s => Services(s).Length == 3, "synced");
        await h.WaitForWatches(4);
        int listsBefore = h.Api.Lists("api/v1/services");

        ChangeBehindTheWatches(h.Api);
        h.Api.Compact();
        h.Api.ExpireWatches(); // ERROR event, Status 410 Expired

        var s = await h.WaitFor(s => Services(s).SequenceEqual(["a", "c", "d"]) && s.DataPlane.Find("default", "c", "http")!.Endpoints.Count == 2, "the relisted state");
        AssertChangedState(s);
        Assert.True(h.Api.Lists("api/v1/services") > listsBefore);
        Assert.Contains(h.Log.Messages, m => m.Contains("expired (410 Gone)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Watch_from_a_compacted_resourceVersion_gets_410_and_relists()
    {
        await using var h = await StartAsync(Seed);
        await h.WaitFor(s => Services(s).Length == 3, "synced");
        await h.WaitForWatches(4);

        ChangeBehindTheWatches(h.Api);
        h.Api.Compact();
        h.Api.CloseWatches(); // a clean end: the client resumes from its resourceVersion, which is now too old (HTTP 410)

        var s = await h.WaitFor(s => Services(s).SequenceEqual(["a", "c", "d"]) && s.DataPlane.Find("default", "c", "http")!.Endpoints.Count == 2, "the relisted state");
        AssertChangedState(s);
        Assert.Contains(h.Api.Requests, r => r.Contains("watch=true", StringComparison.Ordinal) && r.Contains("resourceVersion=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Clean_watch_end_resumes_from_the_last_resourceVersion_without_relisting()
    {
        await using var h = await StartAsync(Seed);
        await h.WaitFor(s => Services(s).Length == 3, "synced");
        await h.WaitForWatches(4);
        long rv = h.Api.Apply(Service("default", "a", "10.96.0.20"));
        await h.WaitFor(s => A(s, "a.default.svc.cluster.local").SequenceEqual(["10.96.0.20"]), "a modified");
        int lists = h.Api.Lists("api/v1/services");

        h.Api.CloseWatches();
        await h.WaitFor(s => true, "");
        h.Api.Apply(Service("default", "e", "10.96.0.14"));
        await h.WaitFor(s => Services(s).Contains("e"), "e added after the watch resumed");
        Assert.Equal(lists, h.Api.Lists("api/v1/services"));
        Assert.True(h.Api.Requests.Any(r => r.StartsWith("api/v1/services?", StringComparison.Ordinal) && r.Contains("resourceVersion=" + rv, StringComparison.Ordinal)), rv + " " + string.Join(" ", h.Api.Requests));
    }

    [Fact]
    public async Task Bookmarks_move_the_resourceVersion_a_watch_resumes_from()
    {
        await using var h = await StartAsync(Seed);
        await h.WaitFor(s => Services(s).Length == 3, "synced");
        await h.WaitForWatches(4);
        Assert.All(h.Api.Requests.Where(r => r.Contains("watch=true", StringComparison.Ordinal)), r => Assert.Contains("allowWatchBookmarks=true", r));
        long rv = h.Api.Apply(Namespace("other")); // moves the server's resourceVersion past every services event
        h.Api.SendBookmarks();
        await h.WaitFor(_ => true, "");
        h.Api.CloseWatches();
        await h.WaitForRequest(r => r.StartsWith("api/v1/services?", StringComparison.Ordinal) && r.Contains("watch=true", StringComparison.Ordinal) && r.Contains("resourceVersion=" + rv, StringComparison.Ordinal),
            "the services watch resumed from the bookmark's resourceVersion " + rv);
    }

    [Fact]
    public async Task Api_outage_keeps_the_last_snapshot_shows_staleness_then_resyncs_exactly()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        await using var h = await StartAsync(Seed, o => { o.InitialBackoff = TimeSpan.FromSeconds(1); o.MaxBackoff = TimeSpan.FromSeconds(4); }, time, meters);
        var before = await h.WaitFor(s => Services(s).Length == 3, "synced");
        await h.WaitForWatches(4);
        Assert.False(h.Source.IsStale);
        Assert.Equal(0.0, Staleness());

        h.Api.Down = true;
        ChangeBehindTheWatches(h.Api);
        h.Api.DropWatches();
        await h.WaitForHealth(s => s.IsStale, "stale");
        var staleAt = time.GetUtcNow();
        Assert.Equal(staleAt, h.Source.LastSyncedAt);

        time.Advance(TimeSpan.FromSeconds(30)); // retries fail while the API is down
        Assert.True(h.Source.IsStale);
        Assert.Equal(30.0, Staleness());
        Assert.Same(before, h.Source.Current); // the last good snapshot keeps serving
        Assert.Equal(["10.96.0.11"], A(h.Source.Current!, "b.default.svc.cluster.local"));
        Assert.Equal(staleAt, h.Source.LastSyncedAt);

        h.Api.Down = false;
        // Time moves until every stream is back, not just until none is marked stale: on a loaded machine a stream can
        // notice its dropped connection only after the others have relisted, and then waits out its backoff on this clock.
        bool Resynced() => !h.Source.IsStale && h.Source.Current is { } s
            && Services(s).SequenceEqual(["a", "c", "d"]) && s.DataPlane.Find("default", "c", "http")!.Endpoints.Count == 2;
        for (int i = 0; i < 40 && !Resynced(); i++)
        {
            time.Advance(TimeSpan.FromSeconds(5)); // past the longest backoff: every stream retries
            await h.WaitForHealth(_ => Resynced(), "resynced").WaitAsync(TimeSpan.FromMilliseconds(500)).ContinueWith(_ => { });
        }
        Assert.True(Resynced(), "not resynced: stale " + h.Source.IsStale + "; " + LiveHarness.Describe(h.Source.Current));
        Assert.Equal(0.0, Staleness());
        AssertChangedState(h.Source.Current!);

        double Staleness()
        {
            double value = double.NaN;
            using var listener = new MeterListener();
            listener.InstrumentPublished = (i, l) => { if (i.Meter.Name == "FastPath.Kubernetes" && i.Meter.Scope == meters && i.Name == "fastpath.kubernetes.staleness") l.EnableMeasurementEvents(i); };
            listener.SetMeasurementEventCallback<double>((_, v, _, _) => value = v);
            listener.Start();
            listener.RecordObservableInstruments();
            return value;
        }
    }

    [Fact]
    public async Task Silent_watch_is_abandoned_by_the_watchdog_and_resumed()
    {
        var time = new FakeTimeProvider();
        await using var h = await StartAsync(Seed, o => o.WatchIdleTimeout = TimeSpan.FromMinutes(2), time);
        await h.WaitFor(s => Services(s).Length == 3, "synced");
        await h.WaitForWatches(4);
        int lists = h.Api.Lists("api/v1/services");

        h.Api.MuteWatches(); // open, but nothing arrives: a half-open connection
        h.Api.Apply(Service("default", "e", "10.96.0.14"));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.DoesNotContain("e", Services(h.Source.Current!));

        time.Advance(TimeSpan.FromMinutes(1.5));
        var s = await h.WaitFor(s => Services(s).Contains("e"), "e, replayed by the new watch");
        Assert.Equal(["10.96.0.14"], A(s, "e.default.svc.cluster.local"));
        Assert.Equal(lists, h.Api.Lists("api/v1/services")); // resumed from its resourceVersion, no relist
        Assert.Contains(h.Log.Messages, m => m.Contains("was silent", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Malformed_watch_line_relists_and_nothing_after_it_is_applied_alone()
    {
        await using var h = await StartAsync(Seed);
        await h.WaitFor(s => Services(s).Length == 3, "synced");
        await h.WaitForWatches(4);
        int lists = h.Api.Lists("api/v1/services");
        var seen = new List<ClusterSnapshot>();
        h.Source.SnapshotChanged += (_, e) => { lock (seen) seen.Add(e.Current); };

        ChangeBehindTheWatches(h.Api);
        h.Api.SendGarbage();
        var s = await h.WaitFor(s => Services(s).SequenceEqual(["a", "c", "d"]) && s.DataPlane.Find("default", "c", "http")!.Endpoints.Count == 2, "the relisted state");
        AssertChangedState(s);
        Assert.True(h.Api.Lists("api/v1/services") > lists);
        // Each kind moves from its old set to its new set in one step: a broken stream is never applied in part.
        lock (seen)
            Assert.All(seen, x =>
            {
                Assert.Contains(string.Join(",", Services(x)), new[] { "a,b,c", "a,c,d" });
                // Slices relist apart from Services: old slices are b-1:1, c-1:1, no d-1; new ones no b-1, c-1:2, d-1:1.
                var e = Endpoints(x);
                bool slicesNew = e.Contains("c:2", StringComparison.Ordinal);
                var expected = string.Join(",", Services(x).Select(n => n + ":" + (n, slicesNew) switch
                {
                    ("b", true) or ("d", false) => 0,
                    ("c", true) => 2,
                    _ => 1,
                }));
                Assert.Equal(expected, e);
            });
    }

    [Fact]
    public async Task Truncated_watch_stream_relists()
    {
        await using var h = await StartAsync(Seed);
        await h.WaitFor(s => Services(s).Length == 3, "synced");
        await h.WaitForWatches(4);
        ChangeBehindTheWatches(h.Api);
        h.Api.TruncateWatches();
        var s = await h.WaitFor(s => Services(s).SequenceEqual(["a", "c", "d"]) && s.DataPlane.Find("default", "c", "http")!.Endpoints.Count == 2, "the relisted state");
        AssertChangedState(s);
        Assert.DoesNotContain("half", Services(s));
    }

    [Fact]
    public async Task Rejected_object_is_logged_with_its_name_and_reason_and_the_rest_serves()
    {
        await using var h = await StartAsync(Seed);
        await h.WaitFor(s => Services(s).Length == 3, "synced");
        var bad = Service("default", "bad", "10.96.0.50");
        bad["spec"]!["sessionAffinity"] = "ClientIP";
        bad["spec"]!["sessionAffinityConfig"] = new System.Text.Json.Nodes.JsonObject { ["clientIP"] = new System.Text.Json.Nodes.JsonObject { ["timeoutSeconds"] = 999999 } };
        h.Api.Apply(bad);
        h.Api.Apply(Service("default", "e", "10.96.0.14"));
        var s = await h.WaitFor(s => Services(s).Contains("e"), "e");
        Assert.Equal(["a", "b", "c", "e"], Services(s));
        Assert.Contains(h.Log.Messages, m => m.Contains("Service/default/bad", StringComparison.Ordinal) && m.Contains("timeoutSeconds", StringComparison.Ordinal));
        Assert.Equal(Rcode.NXDomain, RcodeOf(s, "bad.default.svc.cluster.local"));
    }

    [Fact]
    public async Task Large_lists_are_read_in_pages()
    {
        await using var h = await StartAsync(api =>
        {
            api.Apply(Namespace("default"));
            for (int i = 0; i < 7; i++) api.Apply(Service("default", "s" + i, "10.96.1." + i));
        }, o => o.ListPageSize = 3);
        var s = await h.WaitFor(s => s.Cluster!.Services.Count == 7, "seven services");
        Assert.Equal(3, h.Api.Requests.Count(r => r.StartsWith("api/v1/services?", StringComparison.Ordinal) && !r.Contains("watch=true", StringComparison.Ordinal)));
        Assert.Contains(h.Api.Requests, r => r.StartsWith("api/v1/services?", StringComparison.Ordinal) && r.Contains("continue=6", StringComparison.Ordinal));
    }
}
