using System;
using FastPath.Dns;
using FastPath.Live;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FastPath.Tests.Live;

public sealed class LiveClusterTests
{
    private static string Service(string name, string ip) => $$"""
        apiVersion: v1
        kind: Service
        metadata: { name: {{name}}, namespace: default }
        spec: { clusterIP: {{ip}}, ports: [ { name: http, port: 80 } ] }
        """;

    private static Rcode RcodeOf(IClusterSnapshotSource s, string name) => s.Current!.Dns.Resolve(new DnsQuery(name, DnsType.A)).Response.Rcode;

    [Fact]
    public void Nothing_is_published_before_the_first_sync_then_each_burst_is_one_snapshot()
    {
        var time = new FakeTimeProvider();
        using var live = new LiveCluster(new LiveClusterOptions { Time = time, Debounce = TimeSpan.FromMilliseconds(10) });
        live.Upsert(new ObjectKey("Service", "default", "a"), Service("a", "10.96.0.10"));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(live.Current);

        live.MarkSynced();
        Assert.Null(live.Current); // debounced
        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(1, live.Current!.Version);
        Assert.Equal(Rcode.NoError, RcodeOf(live, "a.default.svc.cluster.local"));

        live.Upsert(new ObjectKey("Service", "default", "b"), Service("b", "10.96.0.11"));
        live.Delete(new ObjectKey("Service", "default", "a"));
        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(2, live.Current!.Version);
        Assert.Equal(Rcode.NXDomain, RcodeOf(live, "a.default.svc.cluster.local"));
        Assert.Equal(Rcode.NoError, RcodeOf(live, "b.default.svc.cluster.local"));
    }

    [Fact]
    public void An_object_the_model_rejects_is_skipped_and_the_rest_keeps_answering()
    {
        using var live = new LiveCluster(new LiveClusterOptions { Debounce = TimeSpan.Zero });
        live.Upsert(new ObjectKey("Service", "default", "good"), Service("good", "10.96.0.10"));
        live.Upsert(new ObjectKey("Service", "default", "bad"), Service("bad", "not-an-ip"));
        live.MarkSynced();
        Assert.Equal(Rcode.NoError, RcodeOf(live, "good.default.svc.cluster.local"));
        Assert.Equal(Rcode.NXDomain, RcodeOf(live, "bad.default.svc.cluster.local"));
        var why = Assert.Single(live.Rejected);
        Assert.Equal("Service/default/bad", why.Location!.Path);
    }
}
