using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Live;
using FastPath.Model.Loading;
using FastPath.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace FastPath.Tests.Server;

/// <summary>The server as a library: any snapshot source, SERVFAIL before sync, new snapshots at once, hosting, --watch.</summary>
public sealed class DnsServerLibraryTests : ServeHarness
{
    private static string Service(string name, string ip) =>
        $"apiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: default}}\nspec: {{clusterIP: {ip}, ports: [{{port: 80}}]}}\n";

    private const string Corefile = ".:53 {\n  kubernetes cluster.local\n  ready 127.0.0.1:0\n}\n";

    private static string? AnswerOf(DnsServer server, string name, ushort id = 1)
    {
        var m = DnsWireReader.ReadMessage(Udp(server.Bound, DnsWireWriter.Query(id, name, DnsType.A)))!;
        return m.Rcode == Rcode.NoError ? string.Join(",", m.Answer.Select(a => a.Data.ToText())) : m.Rcode.ToString();
    }

    [Fact]
    public void Before_the_first_sync_every_query_gets_servfail_and_ready_says_503_then_the_snapshot_answers()
    {
        var cluster = TestClusters.Load(Service("web", "10.96.0.20"), Corefile);
        var publisher = new SnapshotPublisher();
        var server = Start(publisher, o => o.Plugins = cluster.Corefile.KubernetesBlock!.Plugins);
        var early = DnsWireReader.ReadMessage(Udp(server.Bound, DnsWireWriter.Query(7, "web.default.svc.cluster.local", DnsType.A)))!;
        Assert.Equal(Rcode.ServFail, early.Rcode);
        Assert.Equal(7, early.Id);
        Assert.Equal("web.default.svc.cluster.local.", early.Question.Name);
        Assert.Empty(early.Answer);
        Assert.Equal(Rcode.ServFail, DnsWireReader.ReadMessage(Tcp(server.Bound, DnsWireWriter.Query(8, "web.default.svc.cluster.local", DnsType.A)))!.Rcode);
        var ready = server.HttpEndPoints["/ready"];
        Assert.Equal(503, Http(ready, "GET /ready HTTP/1.1\r\nHost: x\r\n\r\n").Status);

        publisher.Publish(ClusterSnapshot.Build(cluster), SnapshotChange.Everything);
        Assert.Equal("10.96.0.20", AnswerOf(server, "web.default.svc.cluster.local"));
        Assert.Equal(200, Http(ready, "GET /ready HTTP/1.1\r\nHost: x\r\n\r\n").Status);
    }

    [Fact]
    public void A_published_snapshot_answers_the_next_query()
    {
        var publisher = new SnapshotPublisher(ClusterSnapshot.Build(TestClusters.Load(Service("web", "10.96.0.20"), Corefile)));
        var server = Start(publisher, o => o.Plugins = null);
        Assert.Equal("10.96.0.20", AnswerOf(server, "web.default.svc.cluster.local"));
        publisher.Publish(ClusterSnapshot.Build(TestClusters.Load(Service("web", "10.96.0.21") + "---\n" + Service("api", "10.96.0.30"), Corefile), version: 2), SnapshotChange.Everything);
        Assert.Equal("10.96.0.21", AnswerOf(server, "web.default.svc.cluster.local"));
        Assert.Equal("10.96.0.30", AnswerOf(server, "api.default.svc.cluster.local"));
    }

    [Fact]
    public void The_reference_engine_answers_from_the_snapshot_model_and_follows_new_snapshots()
    {
        var publisher = new SnapshotPublisher(ClusterSnapshot.Build(TestClusters.Load(Service("web", "10.96.0.20"), Corefile)));
        var server = Start(publisher, o => { o.Plugins = null; o.Engine = DnsEngineKind.Reference; });
        Assert.Equal("10.96.0.20", AnswerOf(server, "web.default.svc.cluster.local"));
        Assert.Equal("NXDomain", AnswerOf(server, "nope.default.svc.cluster.local"));
        publisher.Publish(ClusterSnapshot.Build(TestClusters.Load(Service("web", "10.96.0.22"), Corefile), version: 2), SnapshotChange.Everything);
        Assert.Equal("10.96.0.22", AnswerOf(server, "web.default.svc.cluster.local"));
    }

    [Fact]
    public void The_reference_engine_answers_servfail_for_a_snapshot_without_a_model_and_keeps_serving()
    {
        var built = ClusterSnapshot.Build(TestClusters.Load(Service("web", "10.96.0.20"), Corefile));
        var withoutModel = new ClusterSnapshot(1, built.Dns, built.DataPlane, built.Environment, (FastPath.Model.Cluster?)null, built.CreatedAt);
        var publisher = new SnapshotPublisher(withoutModel);
        var server = Start(publisher, o => { o.Plugins = null; o.Engine = DnsEngineKind.Reference; });
        Assert.Equal("ServFail", AnswerOf(server, "web.default.svc.cluster.local"));
        publisher.Publish(built, SnapshotChange.Everything);
        Assert.Equal("10.96.0.20", AnswerOf(server, "web.default.svc.cluster.local"));
    }

    [Fact]
    public async Task AddFastPathDns_registers_the_server_as_a_hosted_service_over_the_registered_source()
    {
        var source = new SnapshotPublisher(ClusterSnapshot.Build(TestClusters.Load(Service("web", "10.96.0.20"), Corefile)));
        var services = new ServiceCollection();
        services.AddSingleton<IClusterSnapshotSource>(source);
        services.AddFastPathDns(o => { o.Endpoints.Add(new IPEndPoint(IPAddress.Loopback, 0)); o.UdpLoops = 1; });
        // Resolved as a container would: each registration's instance or factory, once.
        var provider = new Resolver(services);
        var hostedDescriptor = Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
        var hosted = (IHostedService)provider.Resolve(hostedDescriptor);
        var server = Assert.IsType<DnsServer>(hosted);
        Assert.Same(server, provider.GetService(typeof(DnsServer)));
        await hosted.StartAsync(CancellationToken.None);
        try { Assert.Equal("10.96.0.20", AnswerOf(server, "web.default.svc.cluster.local")); }
        finally { await hosted.StopAsync(CancellationToken.None); }
        Assert.True(server.Stopped.IsCompleted);
    }

    [Fact]
    public async Task Watched_manifests_are_served_as_edited_and_a_bad_edit_keeps_the_last_good_snapshot()
    {
        var dir = Directory.CreateTempSubdirectory("fastpath-watch-");
        try
        {
            var file = Path.Combine(dir.FullName, "web.yaml");
            File.WriteAllText(file, Service("web", "10.96.0.20"));
            File.WriteAllText(Path.Combine(dir.FullName, "api.yaml"), Service("api", "10.96.0.30"));
            var load = new LoadOptions { CorefileText = Corefile };
            using var live = new LiveCluster(new LiveClusterOptions { Load = load, Debounce = TimeSpan.Zero });
            var log = new StringWriter();
            using var watcher = new ManifestWatcher([dir.FullName], live, load, TextWriter.Synchronized(log), TimeProvider.System, TimeSpan.FromMilliseconds(20));
            Assert.True(watcher.Start());
            var server = Start(live, o => o.Plugins = null);
            Assert.Equal("10.96.0.20", AnswerOf(server, "web.default.svc.cluster.local"));

            // An edit on disk reaches the server through the file watcher and the live cluster.
            var published = new TaskCompletionSource<ClusterSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
            live.SnapshotChanged += (_, e) => published.TrySetResult(e.Current);
            File.WriteAllText(file, Service("web", "10.96.0.21"));
            var snapshot = await published.Task.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(2, snapshot.Version);
            Assert.Equal("10.96.0.21", AnswerOf(server, "web.default.svc.cluster.local"));

            // A bad edit is refused whole, logged with its file, and the running snapshot keeps answering.
            File.WriteAllText(file, Service("web", "banana"));
            Assert.False(watcher.Apply());
            Assert.Contains("web.yaml", log.ToString());
            Assert.Contains("the last good snapshot keeps serving", log.ToString());
            Assert.Same(snapshot, live.Current);
            Assert.Equal("10.96.0.21", AnswerOf(server, "web.default.svc.cluster.local"));
            Assert.Equal("10.96.0.30", AnswerOf(server, "api.default.svc.cluster.local"));

            // Deleting a file deletes its objects.
            File.Delete(file);
            Assert.True(watcher.Apply());
            Assert.Equal("NXDomain", AnswerOf(server, "web.default.svc.cluster.local"));
            Assert.Equal("10.96.0.30", AnswerOf(server, "api.default.svc.cluster.local"));
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void A_file_of_several_documents_splits_into_one_object_each_keyed_by_kind_namespace_and_name()
    {
        var text = Service("web", "10.96.0.20") + "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\napiVersion: v1\nkind: List\nitems: []\n";
        var objects = ManifestWatcher.Split("m.yaml", text).ToList();
        Assert.Equal([new ObjectKey("Service", "default", "web"), new ObjectKey("Namespace", "", "shop"), new ObjectKey("List", "", "m.yaml#3")], objects.Select(o => o.Key));
        Assert.StartsWith("apiVersion: v1\nkind: Service", objects[0].Text);
        Assert.DoesNotContain("Namespace", objects[0].Text);
        Assert.Contains("name: shop", objects[1].Text);
    }

    /// <summary>The smallest container: singletons from instances and factories (what AddFastPathDns registers).</summary>
    private sealed class Resolver(IServiceCollection services) : IServiceProvider
    {
        private readonly System.Collections.Generic.Dictionary<ServiceDescriptor, object> _made = new();

        public object? GetService(Type serviceType) =>
            services.LastOrDefault(d => d.ServiceType == serviceType) is { } d ? Resolve(d) : null;

        public object Resolve(ServiceDescriptor d)
        {
            if (_made.TryGetValue(d, out var made)) return made;
            Assert.Equal(ServiceLifetime.Singleton, d.Lifetime);
            made = d.ImplementationInstance ?? d.ImplementationFactory?.Invoke(this) ?? throw new Xunit.Sdk.XunitException($"{d.ServiceType} has neither an instance nor a factory");
            _made[d] = made;
            return made;
        }
    }
}
