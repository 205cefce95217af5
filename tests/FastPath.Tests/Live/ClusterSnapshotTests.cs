using System;
using System.Linq;
using System.Threading.Tasks;
using FastPath.Dns;
using FastPath.Live;
using FastPath.Model.Loading;
using FastPath.Tests.Compiled;
using Xunit;

namespace FastPath.Tests.Live;

public sealed class ClusterSnapshotTests
{
    private static readonly (string Name, DnsType Type)[] Questions =
    [
        ("my-service.default.svc.cluster.local", DnsType.A),
        ("_http._tcp.my-service.default.svc.cluster.local", DnsType.SRV),
        ("my-db.default.svc.cluster.local", DnsType.A),
        ("nope.default.svc.cluster.local", DnsType.A),
        ("default.svc.cluster.local", DnsType.SOA),
        ("cart.shop.svc.cluster.local", DnsType.AAAA),
    ];

    [Fact]
    public void Snapshot_built_without_Roslyn_answers_as_the_compiled_cluster()
    {
        var cluster = ClusterLoader.LoadPaths([TestClusters.DemoPath]).Cluster!;
        var snapshot = ClusterSnapshot.Build(cluster);
        var compiled = CompiledClusters.For(cluster);
        foreach (var (name, type) in Questions)
        {
            var q = new DnsQuery(name, type);
            Assert.Equal(CompiledClusters.Describe(compiled.Dns.Resolve(q)), CompiledClusters.Describe(snapshot.Dns.Resolve(q)));
        }
        Assert.Equal(compiled.Dns.NameCount, snapshot.Dns.NameCount);
        Assert.Equal(
            compiled.Get<FastPath.Compiled.CompiledDataPlane>("DataPlane").Ports.Select(p => $"{p.Namespace}/{p.Service}/{p.Port}:{string.Join(",", p.Endpoints)}"),
            snapshot.DataPlane.Ports.Select(p => $"{p.Namespace}/{p.Service}/{p.Port}:{string.Join(",", p.Endpoints)}"));
    }

    [Fact]
    public void Dns_only_snapshot_answers_as_the_full_one_and_keeps_neither_the_model_nor_the_data_plane()
    {
        var (dns, model) = DnsOnlyOfDemo();
        var full = ClusterSnapshot.Build(ClusterLoader.LoadPaths([TestClusters.DemoPath]).Cluster!);
        foreach (var (name, type) in Questions)
        {
            var q = new DnsQuery(name, type);
            Assert.Equal(CompiledClusters.Describe(full.Dns.Resolve(q)), CompiledClusters.Describe(dns.Dns.Resolve(q)));
        }
        Assert.Equal(full.Dns.NameCount, dns.Dns.NameCount);
        Assert.Null(dns.Cluster);
        Assert.Empty(dns.DataPlane.Ports);
        Assert.NotEmpty(full.DataPlane.Ports);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(model.IsAlive, "the snapshot keeps the model it was built from alive");
        GC.KeepAlive(dns);
    }

    // Its own frame, so that only the snapshot can keep the model alive.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (ClusterSnapshot Snapshot, WeakReference Model) DnsOnlyOfDemo()
    {
        var cluster = ClusterLoader.LoadPaths([TestClusters.DemoPath]).Cluster!;
        return (ClusterSnapshot.BuildDns(cluster), new WeakReference(cluster));
    }

    [Fact]
    public async Task Publisher_is_unsynced_until_the_first_snapshot_then_fires_its_change_token_once_per_publish()
    {
        var cluster = ClusterLoader.LoadPaths([TestClusters.DemoPath]).Cluster!;
        var source = new SnapshotPublisher();
        Assert.False(source.IsSynced);
        Assert.Null(source.Current);
        var sync = source.WaitForSyncAsync();
        Assert.False(sync.IsCompleted);

        var token = source.GetChangeToken();
        int events = 0;
        source.SnapshotChanged += (_, e) => { events++; Assert.Equal(e.Current, source.Current); };
        var first = ClusterSnapshot.Build(cluster, version: 1);
        source.Publish(first, SnapshotChange.Everything);
        await sync.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(token.HasChanged);
        Assert.Same(first, source.Current);

        var next = source.GetChangeToken();
        Assert.False(next.HasChanged);
        source.Publish(ClusterSnapshot.Build(cluster, version: 2), new SnapshotChange(["default/my-service"], Full: false));
        Assert.True(next.HasChanged);
        Assert.Equal(2, source.Current!.Version);
        Assert.Equal(2, events);
    }
}
