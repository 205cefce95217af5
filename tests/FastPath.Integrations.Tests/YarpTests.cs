using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using FastPath.Integrations.Tests.Infrastructure;
using FastPath.Runtime;
using FastPath.Yarp;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace FastPath.Integrations.Tests;

[Collection(BackendsCollection.Name)]
public sealed class YarpTests(Backends backends)
{
    private Backend A => backends.Http1[0];
    private Backend B => backends.Http1[1];
    private Backend C => backends.Http1[2];

    private static async Task<Dictionary<string, int>> Count(Proxy proxy, string host, int n, Func<int, string?>? client = null)
    {
        var hits = new Dictionary<string, int>();
        for (int i = 0; i < n; i++)
        {
            var who = await proxy.Backend(host, client?.Invoke(i));
            hits[who] = hits.GetValueOrDefault(who) + 1;
        }
        return hits;
    }

    [Fact]
    public async Task Proxy_sends_only_to_eligible_destinations_and_round_robin_stays_even()
    {
        var source = new TestSource(TestCluster.Service("cart", "http", 80, [Ep.Of(A), Ep.Of(B), Ep.Of(C, ready: false, serving: false)]));
        await using var proxy = await Proxy.StartAsync(source.Publisher, o => { o.Services.Add("cart.shop"); o.LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin; });
        var hits = await Count(proxy, "cart.shop", 20);
        Assert.Equal([A.Name, B.Name], hits.Keys.Order(StringComparer.Ordinal));
        Assert.InRange(hits[A.Name] - hits[B.Name], -1, 1);
        // The route matches every form of the name.
        Assert.Contains(await proxy.Backend("cart.shop.svc.cluster.local"), new[] { A.Name, B.Name });
        Assert.Contains(await proxy.Backend("cart.shop.svc"), new[] { A.Name, B.Name });
    }

    [Fact]
    public async Task YARPs_power_of_two_choices_on_a_FastPath_cluster_avoids_the_slowed_backend()
    {
        var source = new TestSource(TestCluster.Service("cart", "http", 80, [Ep.Of(A), Ep.Of(B), Ep.Of(C, ready: false, serving: false)]));
        await using var proxy = await Proxy.StartAsync(source.Publisher, o => { o.Services.Add("cart.shop"); o.LoadBalancingPolicy = LoadBalancingPolicies.PowerOfTwoChoices; });
        A.Close();
        var stuck = new List<Task<string>>();
        try
        {
            for (int i = 0; i < 20; i++)
            {
                var arrival = A.NextArrival();
                var request = proxy.Backend("cart.shop");
                // Either the request is answered (by B: C is not ready) or it waits at A's closed gate.
                await Task.WhenAny(request, arrival).WaitAsync(TimeSpan.FromSeconds(10));
                if (!request.IsCompleted) stuck.Add(request);
                else Assert.Equal(B.Name, await request);
            }
            // With a request in flight at A and none at B, both choices prefer B: at most the first request went to A.
            Assert.InRange(stuck.Count, 0, 1);
        }
        finally { A.Open(); }
        foreach (var request in stuck) Assert.Equal(A.Name, await request.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Not_ready_and_terminating_endpoints_are_destinations_YARP_does_not_pick()
    {
        var source = new TestSource(TestCluster.Service("cart", "http", 80,
            [Ep.Of(A), Ep.Of(B, ready: false, serving: true, terminating: true), Ep.Of(C, ready: false, serving: false)]));
        await using var proxy = await Proxy.StartAsync(source.Publisher, o => o.Services.Add("cart.shop"));
        var cluster = proxy.Services.GetRequiredService<IProxyStateLookup>().GetClusters().Single();
        var all = cluster.Destinations.Values.OrderBy(d => d.DestinationId, StringComparer.Ordinal)
            .Select(d => $"{d.DestinationId} eligible={d.Model.Config.Metadata![FastPathMetadata.Eligible]} ready={d.Model.Config.Metadata[FastPathMetadata.Ready]} terminating={d.Model.Config.Metadata[FastPathMetadata.Terminating]}");
        Assert.Equal(new[]
        {
            $"{A.Endpoint} eligible=true ready=true terminating=false",
            $"{B.Endpoint} eligible=false ready=false terminating=true",
            $"{C.Endpoint} eligible=false ready=false terminating=false",
        }.OrderBy(s => s, StringComparer.Ordinal), all);
        Assert.Equal([A.Endpoint], cluster.DestinationsState!.AvailableDestinations.Select(d => d.DestinationId));
        Assert.Equal([DestinationHealth.Healthy, DestinationHealth.Unhealthy, DestinationHealth.Unhealthy],
            cluster.Destinations.Values.OrderBy(d => d.DestinationId == A.Endpoint ? 0 : 1).Select(d => d.Health.Active));
    }

    [Fact]
    public async Task H2c_app_protocol_is_proxied_over_HTTP2()
    {
        var h2 = backends.Http2[0];
        var source = new TestSource(TestCluster.Service("search", "http", 80, [Ep.Of(h2)], appProtocol: "kubernetes.io/h2c"));
        await using var proxy = await Proxy.StartAsync(source.Publisher, o => o.Services.Add("search.shop"));
        var (status, backend, body) = await proxy.Get("search.shop");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal($"{h2.Name} HTTP/2", body);
    }

    [Fact]
    public async Task ClientIP_keeps_a_client_on_one_backend_until_the_timeout_and_refreshes_on_use()
    {
        var time = new FakeTimeProvider();
        var source = new TestSource(TestCluster.Service("cart", "http", 80, [Ep.Of(A), Ep.Of(B)]));
        await using var proxy = await Proxy.StartAsync(source.Publisher,
            o => { o.Services.Add("cart.shop"); o.LoadBalancingPolicy = FastPathPolicyNames.ClientIP; },
            c => { c.ForwardedHeader = "X-Forwarded-For"; c.TimeoutSeconds = 60; }, time);

        var first = await proxy.Backend("cart.shop", "192.0.2.1");
        var other = first == A.Name ? B.Name : A.Name;
        for (int i = 0; i < 5; i++) Assert.Equal(first, await proxy.Backend("cart.shop", "192.0.2.1"));
        Assert.Equal(other, await proxy.Backend("cart.shop", "192.0.2.2")); // a new client is scheduled: round robin moves on

        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(first, await proxy.Backend("cart.shop", "192.0.2.1")); // used at 59 s: re-armed to a full 60 s
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(first, await proxy.Backend("cart.shop", "192.0.2.1"));

        time.Advance(TimeSpan.FromSeconds(61));
        // Both templates expired: client 2 is scheduled first (round robin's third pick: the first backend), then
        // client 1 gets the fourth, the other backend, where it stays.
        Assert.Equal(first, await proxy.Backend("cart.shop", "192.0.2.2"));
        Assert.Equal(other, await proxy.Backend("cart.shop", "192.0.2.1"));
        Assert.Equal(other, await proxy.Backend("cart.shop", "192.0.2.1"));
    }

    [Fact]
    public async Task ClientIP_moves_a_client_when_its_backend_goes_away_and_uses_the_Services_own_timeout()
    {
        var time = new FakeTimeProvider();
        const string affinity = "  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 30}}";
        var all = TestCluster.Service("cart", "http", 80, [Ep.Of(A), Ep.Of(B), Ep.Of(C)], spec: affinity);
        var source = new TestSource(all);
        await using var proxy = await Proxy.StartAsync(source.Publisher,
            o => { o.Services.Add("cart.shop"); o.LoadBalancingPolicy = FastPathPolicyNames.ClientIP; },
            c => c.ForwardedHeader = "X-Forwarded-For", time);
        var table = proxy.Services.GetServices<ILoadBalancingPolicy>().OfType<ClientIpLoadBalancingPolicy>().Single().Table;

        var first = await proxy.Backend("cart.shop", "198.51.100.7");
        var remaining = backends.Http1.Take(3).Where(b => b.Name != first).ToArray();
        source.Publish(TestCluster.Service("cart", "http", 80, remaining.Select(b => Ep.Of(b)), spec: affinity));
        var moved = await proxy.Backend("cart.shop", "198.51.100.7");
        Assert.Contains(moved, remaining.Select(b => b.Name));
        source.Publish(all);
        Assert.Equal(moved, await proxy.Backend("cart.shop", "198.51.100.7")); // the new template holds after the old backend returns

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(moved, await proxy.Backend("cart.shop", "198.51.100.7"));
        Assert.Equal(1, table.CountLive());
        time.Advance(TimeSpan.FromSeconds(31)); // the Service's 30 s, not the option's 10800 s
        Assert.Equal(0, table.CountLive());
    }

    [Fact]
    public async Task KubeProxy_policy_answers_as_the_data_plane_with_its_persistence()
    {
        var time = new FakeTimeProvider();
        const string affinity = "  sessionAffinity: ClientIP";
        var source = new TestSource(TestCluster.Service("cart", "http", 80, [Ep.Of(A), Ep.Of(B), Ep.Of(C)], spec: affinity));
        var snapshot = source.Publisher.Current!;
        snapshot.DataPlane.Configure(time);
        await using var proxy = await Proxy.StartAsync(source.Publisher,
            o => { o.Services.Add("cart.shop"); o.LoadBalancingPolicy = FastPathPolicyNames.KubeProxy; },
            c => c.ForwardedHeader = "X-Forwarded-For", time);

        var clients = new[] { "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4" };
        foreach (var client in clients)
        {
            var backend = await proxy.Backend("cart.shop", client);
            Assert.Equal(backend, await proxy.Backend("cart.shop", client));
            // The data plane holds the template the proxy wrote: its own next choice for the client is the same, sticky.
            var selection = snapshot.DataPlane.Find("shop", "cart", "http")!.Select(IPAddress.Parse(client));
            Assert.True(selection.Sticky);
            Assert.Equal(backend, backends.ByPort(int.Parse(selection.Endpoint!.Split(':')[1])).Name);
        }
    }

    /// <summary>The KubeProxy policy over a ClientIP Service of three endpoints, its YARP cluster and list, and a request from 10.0.0.7.</summary>
    private (TestSource Source, ILoadBalancingPolicy Policy, ClusterState Cluster, List<DestinationState> All, HttpContext Context) KubeProxyPick()
    {
        var source = new TestSource(TestCluster.Service("cart", "http", 80, [Ep.Of(A), Ep.Of(B), Ep.Of(C)], spec: "  sessionAffinity: ClientIP"));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddReverseProxy().LoadFromFastPath(source.Publisher, o => o.Services.Add("cart.shop"));
        var policy = services.BuildServiceProvider().GetServices<ILoadBalancingPolicy>().Single(p => p.Name == FastPathPolicyNames.KubeProxy);
        var config = ProxyConfigBuilder.Build(source.Publisher.Current!, new FastPathYarpOptions { Services = { "cart.shop" } }).Clusters.Single();
        var cluster = new ClusterState(config.ClusterId, new ClusterModel(config, new HttpMessageInvoker(new SocketsHttpHandler())));
        var all = config.Destinations!.Select(d => new DestinationState(d.Key, new DestinationModel(d.Value))).ToList();
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.7");
        return (source, policy, cluster, all, context);
    }

    [Fact]
    public void KubeProxy_policy_maps_its_choice_onto_each_new_available_list_YARP_passes()
    {
        var (_, policy, cluster, all, context) = KubeProxyPick();

        var chosen = policy.PickDestination(context, cluster, all)!;
        Assert.Same(chosen, policy.PickDestination(context, cluster, all));
        // YARP's health checks drop the chosen destination (a new list, reordered): kube-proxy's choice is not available
        // to YARP, so the first available one is used.
        var without = all.Where(d => d != chosen).Reverse().ToList();
        Assert.Same(without[0], policy.PickDestination(context, cluster, without));
        // Back in another new list, in another order: the template still names it.
        var back = Enumerable.Reverse(all).ToList();
        Assert.Same(chosen, policy.PickDestination(context, cluster, back));
    }

    [Fact]
    public void KubeProxy_policy_picks_with_the_new_selectors_of_a_reconfigured_plane()
    {
        var (source, policy, cluster, all, context) = KubeProxyPick();
        var plane = source.Publisher.Current!.DataPlane;

        Assert.NotNull(policy.PickDestination(context, cluster, all));
        Assert.Equal(1, plane.Persistence.CountLive());
        // A new table and new selectors: the policy's next pick writes its template there, through the new selector.
        plane.Configure(new FakeTimeProvider());
        Assert.Equal(0, plane.Persistence.CountLive());
        var again = policy.PickDestination(context, cluster, all)!;
        Assert.Equal(1, plane.Persistence.CountLive());
        var selection = plane.Find("shop", "cart", "http")!.Select(IPAddress.Parse("10.0.0.7"));
        Assert.True(selection.Sticky);
        Assert.Equal(again.DestinationId, selection.Endpoint);
    }

    [Fact]
    public async Task KubeProxy_policy_follows_internal_traffic_policy_Local_for_the_proxys_node()
    {
        var source = new TestSource(TestCluster.Service("cart", "http", 80, [Ep.Of(A, node: "node-a"), Ep.Of(B, node: "node-b"), Ep.Of(C, node: "node-b")],
            spec: "  internalTrafficPolicy: Local"), TestCluster.Nodes);
        await using var proxy = await Proxy.StartAsync(source.Publisher,
            o => { o.Services.Add("cart.shop"); o.LoadBalancingPolicy = FastPathPolicyNames.KubeProxy; o.Node = "node-b"; });
        var hits = await Count(proxy, "cart.shop", 6);
        Assert.Equal([B.Name, C.Name], hits.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("basket.shop", "basket.shop")]   // unknown Service
    [InlineData("cart.shop:metrics", "cart.shop")] // unknown port name
    [InlineData("empty.shop", "empty.shop")]      // no eligible endpoint
    public async Task Bad_selection_answers_503_as_YARP_does_for_a_cluster_without_destinations(string selected, string host)
    {
        var source = new TestSource(TestCluster.Service("cart", "http", 80, [Ep.Of(A)]),
            TestCluster.Service("empty", "http", 80, [Ep.Of(B, ready: false, serving: false)]));
        await using var proxy = await Proxy.StartAsync(source.Publisher, o => o.Services.Add(selected));
        var (status, _, _) = await proxy.Get(host);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var cluster = proxy.Services.GetRequiredService<IProxyStateLookup>().GetClusters().Single();
        Assert.Equal(selected switch
        {
            "basket.shop" => "Service shop/basket does not exist",
            "cart.shop:metrics" => "Service shop/cart has no port named metrics; its ports are http (80)",
            _ => "Service shop/empty port 80: the service has no usable endpoints",
        }, cluster.Model.Config.Metadata![FastPathMetadata.Reason]);
    }

    [Fact]
    public async Task Services_are_chosen_by_label_and_annotation()
    {
        var source = new TestSource(
            TestCluster.Service("cart", "http", 80, [Ep.Of(A)], labels: "{tier: web}", annotations: "{fastpath.io/yarp: \"true\"}"),
            TestCluster.Service("orders", "http", 80, [Ep.Of(B)], labels: "{tier: web}"),
            TestCluster.Service("ledger", "http", 80, [Ep.Of(C)], annotations: "{fastpath.io/yarp: \"true\"}"));
        await using var proxy = await Proxy.StartAsync(source.Publisher, o => { o.MatchLabels["tier"] = "web"; o.Annotation = "fastpath.io/yarp"; });
        Assert.Equal(A.Name, await proxy.Backend("cart.shop"));
        Assert.Equal(HttpStatusCode.NotFound, (await proxy.Get("orders.shop")).Status); // labelled, not annotated
        Assert.Equal(HttpStatusCode.NotFound, (await proxy.Get("ledger.shop")).Status); // annotated, not labelled
    }

    [Fact]
    public async Task Snapshot_changes_reach_the_next_request_without_a_failed_request()
    {
        var source = new TestSource(TestCluster.Service("cart", "http", 80, [Ep.Of(A), Ep.Of(B)]));
        await using var proxy = await Proxy.StartAsync(source.Publisher, o => { o.Services.Add("cart.shop"); o.LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin; });
        async Task<string[]> Round() => (await Count(proxy, "cart.shop", 4)).Keys.Order(StringComparer.Ordinal).ToArray();

        Assert.Equal([A.Name, B.Name], await Round());
        source.Publish(TestCluster.Service("cart", "http", 80, [Ep.Of(A, ready: false), Ep.Of(B)]));
        Assert.Equal([B.Name], await Round());
        source.Publish(TestCluster.Service("cart", "http", 80, [Ep.Of(A, ready: false, serving: true, terminating: true), Ep.Of(B)]));
        Assert.Equal([B.Name], await Round());
        source.Publish(TestCluster.Service("cart", "http", 80, [Ep.Of(B)]));
        Assert.Equal([B.Name], await Round());
        source.Publish(TestCluster.Service("cart", "http", 80, [Ep.Of(B), Ep.Of(C)]));
        Assert.Equal([B.Name, C.Name], await Round());
    }

    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData(" 203.0.113.9:4711 , 10.0.0.1", "203.0.113.9")]
    [InlineData("for=\"[2001:db8::17]:4711\";proto=https, for=10.0.0.1", "2001:db8::17")]
    [InlineData("for=192.0.2.60;proto=http", "192.0.2.60")]
    public void Forwarded_headers_give_the_first_hop(string header, string expected)
    {
        Assert.True(ClientAddress.TryParseForwarded(header, out var key));
        Assert.Equal(IPAddress.Parse(expected), IpKey.ToAddress(key));
    }

    [Fact]
    public void A_mapped_IPv6_connection_address_is_the_same_client_as_its_IPv4_form()
    {
        var mapped = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        mapped.Connection.RemoteIpAddress = IPAddress.Parse("::ffff:10.0.0.7");
        var plain = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        plain.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.7");
        Assert.True(ClientAddress.TryGet(mapped, null, out var a));
        Assert.True(ClientAddress.TryGet(plain, null, out var b));
        Assert.Equal(b, a);
        Assert.Equal(IPAddress.Parse("10.0.0.7"), IpKey.ToAddress(a));
    }

    [Theory]
    [InlineData("")]
    [InlineData("unknown")]
    [InlineData("300.1.2.3")]
    [InlineData("1.2.3")]
    public void Unparsable_forwarded_headers_are_refused(string header) => Assert.False(ClientAddress.TryParseForwarded(header, out _));
}
