using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using FastPath.Dns;
using FastPath.Live;
using FastPath.Model.Loading;
using FastPath.Reference.Dns;
using FastPath.Tests.Compiled;
using FastPath.Tests.Properties;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FastPath.Tests.Live;

public sealed class IncrementalUpdateTests
{
    private const string Corefile = ".:53 {\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n        pods insecure\n    }\n    loadbalance\n}\n";

    private static string Service(string name, string ip, bool headless = false, string extra = "") =>
        $"apiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: shop}}\nspec: {{clusterIP: {(headless ? "None" : ip)}, ports: [{{name: http, port: 80}}, {{name: dns, port: 53, protocol: UDP}}]{extra}}}\n";

    private static string Slice(string service, string name, params (string Ip, bool Ready)[] endpoints) =>
        $"apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {{name: {name}, namespace: shop, labels: {{kubernetes.io/service-name: {service}}}}}\naddressType: IPv4\n" +
        "ports: [{name: http, port: 8080, protocol: TCP}, {name: dns, port: 5353, protocol: UDP}]\nendpoints:\n" +
        string.Concat(endpoints.Select(e => $"- {{addresses: [{e.Ip}], conditions: {{ready: {(e.Ready ? "true" : "false")}}}, nodeName: node-1}}\n"));

    private static string Endpoints(string name, params string[] ips) =>
        $"apiVersion: v1\nkind: Endpoints\nmetadata: {{name: {name}, namespace: shop}}\nsubsets:\n- addresses: [{string.Join(", ", ips.Select(ip => $"{{ip: {ip}}}"))}]\n  ports: [{{name: http, port: 8080}}]\n";

    private static readonly string[] Extra = ["cart.shop.svc.cluster.local.", "db.shop.svc.cluster.local.", "legacy.shop.svc.cluster.local.", "nope.shop.svc.cluster.local.", "5.1.0.10.in-addr.arpa."];

    private static LiveCluster Started()
    {
        var live = new LiveCluster(new LiveClusterOptions { Debounce = TimeSpan.Zero, Load = new LoadOptions { CorefileText = Corefile } });
        live.Upsert(new ObjectKey("Service", "shop", "cart"), Service("cart", "10.96.0.10"));
        live.Upsert(new ObjectKey("EndpointSlice", "shop", "cart-1"), Slice("cart", "cart-1", ("10.1.0.1", true), ("10.1.0.2", true), ("10.1.0.3", false)));
        live.Upsert(new ObjectKey("Service", "shop", "db"), Service("db", "", headless: true));
        live.Upsert(new ObjectKey("EndpointSlice", "shop", "db-1"), Slice("db", "db-1", ("10.1.1.1", true), ("10.1.1.2", true)));
        live.Upsert(new ObjectKey("Service", "shop", "alias"), "apiVersion: v1\nkind: Service\nmetadata: {name: alias, namespace: shop}\nspec: {type: ExternalName, externalName: db.shop.svc.cluster.local}\n");
        live.MarkSynced();
        return live;
    }

    /// <summary>Applies <paramref name="change"/>, then checks it was applied incrementally and answers as a full build of the same objects.</summary>
    private static void AssertIncrementalEqualsFull(Action<LiveCluster> change, Action<ClusterSnapshot>? also = null)
    {
        using var live = Started();
        var before = live.Builds;
        change(live);
        Assert.Equal(before.Full, live.Builds.Full);
        Assert.True(live.Builds.Incremental > before.Incremental, "the change was not applied incrementally");
        var full = ClusterSnapshot.Build(live.Model());
        Assert.Null(LiveTestCluster.FirstDifference(full, live.Current!, Extra));
        also?.Invoke(live.Current!);
    }

    private static Rcode A(ClusterSnapshot s, string name, out int answers)
    {
        var r = s.Dns.Resolve(new DnsQuery(name, DnsType.A));
        answers = r.Response.Answer.Count;
        return r.Response.Rcode;
    }

    [Fact]
    public void Adding_a_Service_updates_incrementally_and_answers_as_a_full_build() =>
        AssertIncrementalEqualsFull(l => l.Upsert(new ObjectKey("Service", "shop", "legacy"), Service("legacy", "10.96.0.20")),
            s => Assert.Equal(Rcode.NoError, A(s, "legacy.shop.svc.cluster.local", out _)));

    [Fact]
    public void Modifying_a_Service_updates_incrementally_and_answers_as_a_full_build() =>
        AssertIncrementalEqualsFull(l => l.Upsert(new ObjectKey("Service", "shop", "cart"), Service("cart", "10.96.0.11", extra: ", sessionAffinity: ClientIP")),
            s => Assert.Equal(10800, s.DataPlane.Find("shop", "cart", "http")!.AffinityTimeoutSeconds));

    [Fact]
    public void Deleting_a_Service_updates_incrementally_and_answers_as_a_full_build() =>
        AssertIncrementalEqualsFull(l => l.Delete(new ObjectKey("Service", "shop", "cart")),
            s => Assert.Equal(Rcode.NXDomain, A(s, "cart.shop.svc.cluster.local", out _)));

    [Fact]
    public void Adding_an_EndpointSlice_updates_incrementally_and_answers_as_a_full_build() =>
        AssertIncrementalEqualsFull(l => l.Upsert(new ObjectKey("EndpointSlice", "shop", "db-2"), Slice("db", "db-2", ("10.1.1.3", true))),
            s => { A(s, "db.shop.svc.cluster.local", out int n); Assert.Equal(3, n); });

    [Fact]
    public void Modifying_an_EndpointSlice_updates_incrementally_and_answers_as_a_full_build() =>
        AssertIncrementalEqualsFull(l => l.Upsert(new ObjectKey("EndpointSlice", "shop", "db-1"), Slice("db", "db-1", ("10.1.1.1", false), ("10.1.1.9", true))),
            s =>
            {
                Assert.Equal(Rcode.NXDomain, A(s, "10-1-1-1.db.shop.svc.cluster.local", out _));
                Assert.Equal(Rcode.NoError, A(s, "10-1-1-9.db.shop.svc.cluster.local", out _));
                // The ExternalName alias follows the headless Service's new answer.
                A(s, "alias.shop.svc.cluster.local", out int n);
                Assert.Equal(2, n); // the CNAME and the one ready address
            });

    [Fact]
    public void Deleting_an_EndpointSlice_updates_incrementally_and_answers_as_a_full_build() =>
        AssertIncrementalEqualsFull(l => l.Delete(new ObjectKey("EndpointSlice", "shop", "cart-1")),
            s => Assert.Equal(Runtime.ProxyAction.Reject, s.DataPlane.Find("shop", "cart", "http")!.Decide().Action));

    [Fact]
    public void Adding_modifying_and_deleting_Endpoints_update_incrementally_and_answer_as_a_full_build()
    {
        AssertIncrementalEqualsFull(l =>
        {
            l.Upsert(new ObjectKey("Service", "shop", "legacy"), Service("legacy", "10.96.0.20"));
            l.Upsert(new ObjectKey("Endpoints", "shop", "legacy"), Endpoints("legacy", "10.1.2.1", "10.1.2.2"));
        }, s => Assert.Equal(["10.1.2.1:8080", "10.1.2.2:8080"], s.DataPlane.Find("shop", "legacy", "http")!.Endpoints));
        AssertIncrementalEqualsFull(l =>
        {
            l.Upsert(new ObjectKey("Service", "shop", "legacy"), Service("legacy", "10.96.0.20"));
            l.Upsert(new ObjectKey("Endpoints", "shop", "legacy"), Endpoints("legacy", "10.1.2.1"));
            l.Upsert(new ObjectKey("Endpoints", "shop", "legacy"), Endpoints("legacy", "10.1.2.3"));
        }, s => Assert.Equal(["10.1.2.3:8080"], s.DataPlane.Find("shop", "legacy", "http")!.Endpoints));
        AssertIncrementalEqualsFull(l =>
        {
            l.Upsert(new ObjectKey("Service", "shop", "legacy"), Service("legacy", "10.96.0.20"));
            l.Upsert(new ObjectKey("Endpoints", "shop", "legacy"), Endpoints("legacy", "10.1.2.1"));
            l.Delete(new ObjectKey("Endpoints", "shop", "legacy"));
        }, s => Assert.Empty(s.DataPlane.Find("shop", "legacy", "http")!.Endpoints));
    }

    [Fact]
    public void A_ClusterIP_answer_keeps_its_bytes_when_only_endpoints_change()
    {
        using var live = Started();
        var before = live.Current!.Dns.Resolve(new DnsQuery("cart.shop.svc.cluster.local", DnsType.A)).Response;
        live.Upsert(new ObjectKey("EndpointSlice", "shop", "cart-1"), Slice("cart", "cart-1", ("10.1.0.7", true)));
        var after = live.Current!.Dns.Resolve(new DnsQuery("cart.shop.svc.cluster.local", DnsType.A)).Response;
        Assert.Equal(CompiledClusters.Describe(new DnsResult(before, DnsOutcome.Answered, [])), CompiledClusters.Describe(new DnsResult(after, DnsOutcome.Answered, [])));
        // The endpoint's own name follows the change.
        var endpoint = live.Current!.Dns.Resolve(new DnsQuery("10-1-0-7.cart.shop.svc.cluster.local", DnsType.A)).Response;
        Assert.Equal("10.1.0.7", Assert.Single(endpoint.Answer).Data.ToText());
        Assert.Equal(Rcode.NXDomain, A(live.Current!, "10-1-0-1.cart.shop.svc.cluster.local", out _));
        Assert.Equal(new SnapshotChange(["shop/cart"], false).Services, LastChange(live, l => l.Upsert(new ObjectKey("EndpointSlice", "shop", "cart-1"), Slice("cart", "cart-1", ("10.1.0.8", true)))).Services);
    }

    // ---- a change touches only what it affects ------------------------------------------------------------------------

    /// <summary>Started, plus a second proxied Service in shop and one in another namespace.</summary>
    private static LiveCluster StartedWithNeighbours()
    {
        var live = Started();
        live.Upsert(new ObjectKey("Service", "shop", "web"), Service("web", "10.96.0.40"));
        live.Upsert(new ObjectKey("EndpointSlice", "shop", "web-1"), Slice("web", "web-1", ("10.1.4.1", true)));
        live.Upsert(new ObjectKey("Service", "billing", "ledger"), Service("ledger", "10.96.0.50").Replace("namespace: shop", "namespace: billing"));
        live.Upsert(new ObjectKey("Namespace", "", "billing"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: billing}\n");
        return live;
    }

    [Fact]
    public void An_EndpointSlice_change_rebuilds_only_its_Services_ports_and_keeps_the_environment()
    {
        using var live = StartedWithNeighbours();
        var before = live.Current!;
        var builds = live.Builds;
        live.Upsert(new ObjectKey("EndpointSlice", "shop", "cart-1"), Slice("cart", "cart-1", ("10.1.0.7", true)));
        var after = live.Current!;
        Assert.Equal((builds.Incremental + 1, builds.Full), live.Builds);
        Assert.Equal(["10.1.0.7:8080"], after.DataPlane.Find("shop", "cart", "http")!.Endpoints);
        Assert.NotSame(before.DataPlane.Find("shop", "cart", "http"), after.DataPlane.Find("shop", "cart", "http"));
        // Every other Service's ports are the same objects (their selectors and scheduler state), and the kubelet's
        // variables are not rebuilt: they depend on Services, not endpoints.
        foreach (var (ns, name) in new[] { ("shop", "web"), ("billing", "ledger") })
            foreach (var port in new[] { "http", "dns" })
                Assert.Same(before.DataPlane.Find(ns, name, port), after.DataPlane.Find(ns, name, port));
        Assert.Same(before.Environment, after.Environment);
        Assert.Same(before.DataPlane.Persistence, after.DataPlane.Persistence);
    }

    [Fact]
    public void A_Service_change_rebuilds_only_its_namespaces_variables_and_only_when_they_change()
    {
        using var live = StartedWithNeighbours();
        var before = live.Current!;
        var builds = live.Builds;
        // A change the variables do not show (session affinity) keeps the environment.
        live.Upsert(new ObjectKey("Service", "shop", "cart"), Service("cart", "10.96.0.10", extra: ", sessionAffinity: ClientIP"));
        var same = live.Current!;
        Assert.NotSame(before, same);
        Assert.Same(before.Environment, same.Environment);
        // A new ClusterIP changes shop's variables; billing's and the master-only list are the same arrays.
        live.Upsert(new ObjectKey("Service", "shop", "cart"), Service("cart", "10.96.0.11", extra: ", sessionAffinity: ClientIP"));
        var moved = live.Current!;
        Assert.Contains(new KeyValuePair<string, string>("CART_SERVICE_HOST", "10.96.0.11"), moved.Environment.For("shop"));
        Assert.NotSame(same.Environment.For("shop"), moved.Environment.For("shop"));
        Assert.Same(same.Environment.For("billing"), moved.Environment.For("billing"));
        Assert.Same(same.Environment.For("shop", enableServiceLinks: false), moved.Environment.For("shop", enableServiceLinks: false));
        Assert.Same(before.DataPlane.Persistence, moved.DataPlane.Persistence);
        Assert.Equal((builds.Incremental + 2, builds.Full), live.Builds);
        Assert.Null(LiveTestCluster.FirstDifference(ClusterSnapshot.Build(live.Model()), moved, Extra));
    }

    [Fact]
    public void A_master_Service_change_rebuilds_every_namespaces_variables()
    {
        using var live = StartedWithNeighbours();
        var master = "apiVersion: v1\nkind: Service\nmetadata: {name: kubernetes, namespace: default}\nspec: {clusterIP: 10.96.0.1, ports: [{name: https, port: 443}]}\n";
        live.Upsert(new ObjectKey("Service", "default", "kubernetes"), master);
        var before = live.Current!;
        var builds = live.Builds;
        live.Upsert(new ObjectKey("Service", "default", "kubernetes"), master.Replace("port: 443", "port: 6443"));
        var after = live.Current!;
        Assert.Equal((builds.Incremental + 1, builds.Full), live.Builds);
        foreach (var ns in new[] { "shop", "billing", "default", "no-such-namespace" })
            foreach (var links in new[] { true, false })
                Assert.Contains(new KeyValuePair<string, string>("KUBERNETES_SERVICE_PORT", "6443"), after.Environment.For(ns, links));
        Assert.NotSame(before.Environment, after.Environment);
        Assert.Null(LiveTestCluster.FirstDifference(ClusterSnapshot.Build(live.Model()), after, Extra));
    }

    [Fact]
    public void A_Service_whose_endpoints_come_from_Pods_updates_incrementally_from_its_own_namespaces_Pods()
    {
        static string Pod(string ns, string name, string ip) =>
            $"apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, namespace: {ns}, labels: {{app: api}}}}\nspec: {{nodeName: n1, containers: [{{name: c}}]}}\n" +
            $"status: {{phase: Running, podIP: \"{ip}\", conditions: [{{type: Ready, status: \"True\"}}]}}\n";
        const string Api = "apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: shop}\nspec: {clusterIP: 10.96.0.60, selector: {app: api}, ports: [{name: http, port: 80, targetPort: 8080}]";
        using var live = Started();
        live.Upsert(new ObjectKey("Node", "", "n1"), "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n");
        live.Upsert(new ObjectKey("Pod", "shop", "api-1"), Pod("shop", "api-1", "10.1.9.2"));
        live.Upsert(new ObjectKey("Pod", "shop", "api-0"), Pod("shop", "api-0", "10.1.9.1"));
        live.Upsert(new ObjectKey("Pod", "billing", "api-0"), Pod("billing", "api-0", "10.1.9.3")); // same labels, another namespace
        live.Upsert(new ObjectKey("Service", "shop", "api"), Api + "}\n");
        var builds = live.Builds;
        live.Upsert(new ObjectKey("Service", "shop", "api"), Api + ", sessionAffinity: ClientIP}\n");
        Assert.Equal((builds.Incremental + 1, builds.Full), live.Builds);
        Assert.Equal(["10.1.9.1:8080", "10.1.9.2:8080"], live.Current!.DataPlane.Find("shop", "api", "http")!.Endpoints);
        Assert.Null(LiveTestCluster.FirstDifference(ClusterSnapshot.Build(live.Model()), live.Current!, Extra));
    }

    [Fact]
    public void Changes_to_more_Services_than_the_overlay_holds_merge_into_a_fresh_index_that_answers_as_a_full_build()
    {
        // The data plane keeps changed Services in an overlay and merges it into a new index past 512 of them.
        using var live = new LiveCluster(new LiveClusterOptions { Debounce = TimeSpan.Zero, Load = new LoadOptions { CorefileText = Corefile } });
        const int services = 600;
        string Ip(int i, int k) => $"10.{2 + i / 250}.{i % 250}.{k}";
        for (int i = 0; i < services; i++)
        {
            live.Upsert(new ObjectKey("Service", "shop", $"s{i}"), Service($"s{i}", $"10.96.{i / 250}.{1 + i % 250}"));
            live.Upsert(new ObjectKey("EndpointSlice", "shop", $"s{i}-1"), Slice($"s{i}", $"s{i}-1", (Ip(i, 1), true)));
        }
        live.Upsert(new ObjectKey("Service", "shop", "steady"), Service("steady", "10.96.9.9"));
        live.Upsert(new ObjectKey("EndpointSlice", "shop", "steady-1"), Slice("steady", "steady-1", ("10.9.9.9", true)));
        live.MarkSynced();
        var steady = live.Current!.DataPlane.Find("shop", "steady", "http");
        var builds = live.Builds;
        for (int i = 0; i < services; i++)
            live.Upsert(new ObjectKey("EndpointSlice", "shop", $"s{i}-1"), Slice($"s{i}", $"s{i}-1", (Ip(i, 1), true), (Ip(i, 2), true)));
        Assert.Equal((builds.Incremental + services, builds.Full), live.Builds);
        Assert.Same(steady, live.Current!.DataPlane.Find("shop", "steady", "http")); // the merge keeps untouched ports
        Assert.Equal([$"{Ip(599, 1)}:8080", $"{Ip(599, 2)}:8080"], live.Current!.DataPlane.Find("shop", "s599", "http")!.Endpoints);
        Assert.Equal(2 * (services + 1), live.Current!.DataPlane.Ports.Count);
        Assert.Null(LiveTestCluster.FirstDifference(ClusterSnapshot.Build(live.Model()), live.Current!, Extra));
    }

    private static SnapshotChange LastChange(LiveCluster live, Action<LiveCluster> change)
    {
        SnapshotChange? seen = null;
        live.SnapshotChanged += (_, e) => seen = e.Change;
        change(live);
        return seen ?? throw new InvalidOperationException("no snapshot was published");
    }

    [Fact]
    public void A_Namespace_change_rebuilds_fully_and_the_change_says_so()
    {
        using var live = Started();
        var change = LastChange(live, l => l.Upsert(new ObjectKey("Namespace", "", "audit"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: audit}\n"));
        Assert.True(change.Full);
        Assert.Equal(2, live.Builds.Full);
        Assert.Equal(Rcode.NoError, live.Current!.Dns.Resolve(new DnsQuery("audit.svc.cluster.local", DnsType.SOA)).Response.Rcode);
    }

    // ---- property: any sequence of changes, applied incrementally, gives what a full build gives ----------------------

    private static int _sequences;

    private static void AssertSequenceAgrees(ClusterSpec start, ClusterSpec target, int seed)
    {
        Interlocked.Increment(ref _sequences);
        target = target with { Corefile = start.Corefile };
        var from = LiveTestCluster.Objects(start.Yaml());
        var to = LiveTestCluster.Objects(target.Yaml());
        using var live = new LiveCluster(new LiveClusterOptions { Debounce = TimeSpan.FromMilliseconds(5), Time = new FakeTimeProvider(), Load = new LoadOptions { CorefileText = start.Corefile.Text() } });
        foreach (var (k, t) in from) live.Upsert(k, t);
        live.MarkSynced();
        live.Flush();
        // Moves toward the target in a random order, published in random bursts.
        var rnd = new Random(seed);
        var steps = to.Select(kv => (kv.Key, (string?)kv.Value)).Concat(from.Keys.Where(k => !to.ContainsKey(k)).Select(k => (k, (string?)null)))
            .OrderBy(_ => rnd.Next()).ToList();
        foreach (var (key, text) in steps)
        {
            if (text is null) live.Delete(key); else live.Upsert(key, text);
            if (rnd.Next(3) == 0) live.Flush();
        }
        live.Flush();
        var model = live.Model();
        var full = ClusterSnapshot.Build(model);
        var queries = ClusterGenerators.Queries(target, seed, 40).ToList();
        var difference = LiveTestCluster.FirstDifference(full, live.Current!, queries.Select(q => q.Name));
        if (difference is not null) throw new Exception(CompiledMatchesReferenceProperties.Report(target, "incremental vs full build", "", difference));
        // And both answer as the reference interpreter (fresh engines: loadbalance rotation starts together).
        var reference = new ReferenceResolver(model);
        var dns = ClusterSnapshot.Build(model).Dns;
        foreach (var (name, type) in queries)
        {
            DnsNaming.TryParseType(type, out var t);
            var q = new DnsQuery(name, t, Id: 1);
            var want = CompiledClusters.Describe(reference.Resolve(q));
            var got = CompiledClusters.Describe(dns.Resolve(q));
            if (want != got) throw new Exception(CompiledMatchesReferenceProperties.Report(target, $"query {name} {type}", want, got));
        }
    }

    [Fact]
    public void Any_sequence_of_changes_applied_incrementally_gives_the_snapshot_of_a_full_build()
    {
        int before = _sequences;
        var property = Prop.ForAll(ClusterGenerators.ArbitraryClusters, ClusterGenerators.ArbitraryClusters, Gen.Choose(0, 100_000).ToArbitrary(),
            (a, b, seed) => AssertSequenceAgrees(a, b, seed));
        var replay = new Replay(new Rnd(20261202, 0x9E3779B97F4A7C15UL | 1), Microsoft.FSharp.Core.FSharpOption<int>.None);
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(25).WithReplay(Microsoft.FSharp.Core.FSharpOption<Replay>.Some(replay)).WithQuietOnSuccess(true), property);
        Assert.True(_sequences - before >= 25);
    }

    // ---- affinity and scheduler state across swaps ------------------------------------------------------------------

    private static LiveCluster Sticky(FakeTimeProvider time, string scheduler = "rr")
    {
        var live = new LiveCluster(new LiveClusterOptions { Debounce = TimeSpan.Zero, Time = time, Load = new LoadOptions { CorefileText = Corefile } });
        live.Upsert(new ObjectKey("Service", "shop", "cart"), Service("cart", "10.96.0.10",
            extra: $", sessionAffinity: ClientIP, sessionAffinityConfig: {{clientIP: {{timeoutSeconds: 60}}}}"));
        live.Upsert(new ObjectKey("EndpointSlice", "shop", "cart-1"), Slice("cart", "cart-1", ("10.1.0.1", true), ("10.1.0.2", true), ("10.1.0.3", true)));
        live.MarkSynced();
        return live;
    }

    [Fact]
    public void A_client_stays_on_its_backend_across_snapshots_while_the_backend_stays_eligible()
    {
        var time = new FakeTimeProvider();
        using var live = Sticky(time);
        var client = IPAddress.Parse("192.0.2.7");
        var first = live.Current!.DataPlane.Find("shop", "cart", "http")!.Select(client);
        // Another backend goes away: the client's own backend is still eligible, so it stays.
        var others = new[] { "10.1.0.1", "10.1.0.2", "10.1.0.3" }.Where(ip => first.Endpoint != ip + ":8080").ToArray();
        live.Upsert(new ObjectKey("EndpointSlice", "shop", "cart-1"), Slice("cart", "cart-1", (first.Endpoint![..^5], true), (others[0], true)));
        time.Advance(TimeSpan.FromSeconds(30));
        var again = live.Current!.DataPlane.Find("shop", "cart", "http")!.Select(client);
        Assert.Equal(first.Endpoint, again.Endpoint);
        Assert.True(again.Sticky);
    }

    [Fact]
    public void A_client_whose_backend_stops_serving_is_moved_and_stays_on_the_new_one()
    {
        var time = new FakeTimeProvider();
        using var live = Sticky(time);
        var client = IPAddress.Parse("192.0.2.8");
        var first = live.Current!.DataPlane.Find("shop", "cart", "http")!.Select(client);
        var rest = new[] { "10.1.0.1", "10.1.0.2", "10.1.0.3" }.Select(ip => (ip, ip + ":8080" != first.Endpoint)).ToArray();
        live.Upsert(new ObjectKey("EndpointSlice", "shop", "cart-1"), Slice("cart", "cart-1", rest));
        var moved = live.Current!.DataPlane.Find("shop", "cart", "http")!.Select(client);
        Assert.NotEqual(first.Endpoint, moved.Endpoint);
        Assert.False(moved.Sticky); // the template was invalid (ip_vs_check_template) and replaced
        var next = live.Current!.DataPlane.Find("shop", "cart", "http")!.Select(client);
        Assert.Equal(moved.Endpoint, next.Endpoint);
        Assert.True(next.Sticky);
    }

    [Fact]
    public void Round_robin_position_carries_over_a_snapshot_that_does_not_touch_the_Service()
    {
        using var live = new LiveCluster(new LiveClusterOptions { Debounce = TimeSpan.Zero, Load = new LoadOptions { CorefileText = Corefile } });
        live.Upsert(new ObjectKey("Service", "shop", "cart"), Service("cart", "10.96.0.10"));
        live.Upsert(new ObjectKey("EndpointSlice", "shop", "cart-1"), Slice("cart", "cart-1", ("10.1.0.1", true), ("10.1.0.2", true), ("10.1.0.3", true)));
        live.MarkSynced();
        var client = IPAddress.Parse("192.0.2.9");
        var picks = new List<string?> { live.Current!.DataPlane.Find("shop", "cart", "http")!.Select(client).Endpoint };
        live.Upsert(new ObjectKey("Service", "shop", "other"), Service("other", "10.96.0.30")); // another Service changes
        picks.Add(live.Current!.DataPlane.Find("shop", "cart", "http")!.Select(client).Endpoint);
        live.Upsert(new ObjectKey("Service", "shop", "cart"), Service("cart", "10.96.0.10", extra: ", publishNotReadyAddresses: false")); // this one is re-planned
        picks.Add(live.Current!.DataPlane.Find("shop", "cart", "http")!.Select(client).Endpoint);
        Assert.Equal(["10.1.0.1:8080", "10.1.0.2:8080", "10.1.0.3:8080"], picks);
    }

    [Fact]
    public void The_persistence_table_holds_at_most_its_capacity_under_a_flood_of_distinct_clients()
    {
        var time = new FakeTimeProvider();
        using var live = new LiveCluster(new LiveClusterOptions { Debounce = TimeSpan.Zero, Time = time, PersistenceCapacity = 1024, Load = new LoadOptions { CorefileText = Corefile } });
        live.Upsert(new ObjectKey("Service", "shop", "cart"), Service("cart", "10.96.0.10", extra: ", sessionAffinity: ClientIP"));
        live.Upsert(new ObjectKey("EndpointSlice", "shop", "cart-1"), Slice("cart", "cart-1", ("10.1.0.1", true), ("10.1.0.2", true)));
        live.MarkSynced();
        var port = live.Current!.DataPlane.Find("shop", "cart", "http")!;
        var table = live.Current!.DataPlane.Persistence;
        for (int i = 0; i < 50_000; i++) port.Select((UInt128)(0x0A000000u + (uint)i));
        Assert.Equal(1024, table.Capacity);
        Assert.InRange(table.CountLive(), 1, table.Capacity);
        Assert.True(table.Evictions >= 50_000 - table.Capacity, $"only {table.Evictions} evictions");
        // The newest client still has its template: eviction takes the ones nearest to expiry.
        var last = (UInt128)(0x0A000000u + 49_999u);
        Assert.True(port.Select(last).Sticky);
    }

    // ---- readers and bad input --------------------------------------------------------------------------------------

    [Fact]
    public async Task Readers_never_see_a_torn_snapshot_while_updates_are_published()
    {
        using var live = Started();
        using var stop = new CancellationTokenSource();
        int checks = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Within one snapshot the A answer, the SRV answer's addresses and the endpoint names agree.
                var s = live.Current!;
                var a = s.Dns.Resolve(new DnsQuery("db.shop.svc.cluster.local", DnsType.A)).Response.Answer.Select(r => r.Data.ToText()).OrderBy(x => x, StringComparer.Ordinal).ToList();
                var srv = s.Dns.Resolve(new DnsQuery("_http._tcp.db.shop.svc.cluster.local", DnsType.SRV)).Response.Additional.Select(r => r.Data.ToText()).OrderBy(x => x, StringComparer.Ordinal).ToList();
                var named = a.Where(ip => s.Dns.Resolve(new DnsQuery(ip.Replace('.', '-') + ".db.shop.svc.cluster.local", DnsType.A)).Response.Rcode == Rcode.NoError).ToList();
                if (a.Count == 0 || !a.SequenceEqual(srv) || !a.SequenceEqual(named)) throw new Exception($"torn snapshot {s.Version}: A {string.Join(",", a)} SRV {string.Join(",", srv)} named {string.Join(",", named)}");
                Interlocked.Increment(ref checks);
            }
        });
        // At least 300 updates, and on until the reader has checked one (a change is fast enough now for 300 to be
        // published before the reader's first check on a busy machine).
        int updates = 0;
        for (; updates < 300 || (Volatile.Read(ref checks) == 0 && !reader.IsCompleted); updates++)
        {
            int n = 1 + updates % 5;
            live.Upsert(new ObjectKey("EndpointSlice", "shop", "db-1"), Slice("db", "db-1", Enumerable.Range(1, n).Select(k => ($"10.1.1.{k + updates % 7}", true)).ToArray()));
        }
        stop.Cancel();
        await reader.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(checks > 0);
        Assert.Equal(1 + updates, live.Current!.Version);
    }

    private sealed class CapturingLogger : ILogger
    {
        public List<string> Lines { get; } = new();
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines) Lines.Add($"{logLevel} {formatter(state, exception)}");
        }
    }

    [Fact]
    public void A_rejected_slice_is_logged_with_its_kind_namespace_and_name_and_the_rest_keeps_answering()
    {
        var logger = new CapturingLogger();
        using var live = new LiveCluster(new LiveClusterOptions { Debounce = TimeSpan.Zero, Logger = logger, Load = new LoadOptions { CorefileText = Corefile } });
        live.Upsert(new ObjectKey("Service", "shop", "cart"), Service("cart", "10.96.0.10"));
        live.Upsert(new ObjectKey("EndpointSlice", "shop", "cart-1"), Slice("cart", "cart-1", ("10.1.0.1", true)));
        live.MarkSynced();
        var before = live.Current!;
        live.Upsert(new ObjectKey("EndpointSlice", "shop", "cart-2"), Slice("cart", "cart-2", ("not-an-ip", true)));
        var why = Assert.Single(live.Rejected);
        Assert.Equal("EndpointSlice/shop/cart-2", why.Location!.Path);
        var line = Assert.Single(logger.Lines);
        Assert.StartsWith("Warning Skipping EndpointSlice/shop/cart-2: ", line);
        Assert.Contains("not-an-ip", line);
        Assert.Same(before, live.Current); // nothing changed: no snapshot
        Assert.Equal(["10.1.0.1:8080"], live.Current!.DataPlane.Find("shop", "cart", "http")!.Endpoints);
        // Fixed later: accepted, and the rejection is gone.
        live.Upsert(new ObjectKey("EndpointSlice", "shop", "cart-2"), Slice("cart", "cart-2", ("10.1.0.2", true)));
        Assert.Empty(live.Rejected);
        Assert.Equal(["10.1.0.1:8080", "10.1.0.2:8080"], live.Current!.DataPlane.Find("shop", "cart", "http")!.Endpoints);
    }
}
