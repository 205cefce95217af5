using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using FastPath.Integrations.Tests.Infrastructure;
using FastPath.Live;
using FastPath.ServiceDiscovery;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.ServiceDiscovery;
using Xunit;

namespace FastPath.Integrations.Tests;

[Collection(BackendsCollection.Name)]
public sealed class ServiceDiscoveryTests(Backends backends)
{
    private Backend A => backends.Http1[0];
    private Backend B => backends.Http1[1];
    private Backend C => backends.Http1[2];

    internal static ServiceProvider Services(IClusterSnapshotSource source, Action<FastPathServiceDiscoveryOptions>? configure = null,
        System.Diagnostics.Metrics.IMeterFactory? meters = null)
    {
        var services = new ServiceCollection();
        if (meters is not null) services.AddSingleton(meters);
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build()); // a host provides it; MESD's configuration provider reads it
        services.AddServiceDiscovery().AddFastPath(source, configure);
        services.AddHttpClient("cart", c => c.BaseAddress = new Uri("http://cart.shop")).AddServiceDiscovery();
        return services.BuildServiceProvider();
    }

    internal static async Task<ServiceEndpointSource> Resolve(ServiceProvider sp, string name) =>
        await sp.GetRequiredService<ServiceEndpointResolver>().GetEndpointsAsync(name, default);

    private static string[] Endpoints(ServiceEndpointSource source) => source.Endpoints.Select(e => e.EndPoint.ToString()!).Order(StringComparer.Ordinal).ToArray();

    private static async Task<string> Get(HttpClient client)
    {
        var text = await client.GetStringAsync("/");
        return text.Split(' ')[0];
    }

    [Fact]
    public async Task Http_client_reaches_only_ready_endpoints_in_even_rotation()
    {
        var source = new TestSource(TestCluster.Service("cart", "http", 80, [Ep.Of(A), Ep.Of(B), Ep.Of(C, ready: false, serving: false)]));
        await using var sp = Services(source.Publisher);
        var client = sp.GetRequiredService<IHttpClientFactory>().CreateClient("cart");
        var hits = new Dictionary<string, int>();
        for (int i = 0; i < 20; i++)
        {
            var who = await Get(client);
            hits[who] = hits.GetValueOrDefault(who) + 1;
        }
        Assert.Equal([A.Name, B.Name], hits.Keys.Order(StringComparer.Ordinal));
        Assert.InRange(hits[A.Name] - hits[B.Name], -1, 1);
    }

    [Fact]
    public async Task Named_port_and_fully_qualified_names_resolve_to_the_same_endpoints()
    {
        var source = new TestSource(TestCluster.Service("cart", "grpc", 50051, [Ep.Of(A), Ep.Of(B)]));
        await using var sp = Services(source.Publisher);
        var expected = new[] { A.Endpoint, B.Endpoint }.Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, Endpoints(await Resolve(sp, "https+http://_grpc.cart.shop")));
        Assert.Equal(expected, Endpoints(await Resolve(sp, "cart.shop.svc.cluster.local")));
        Assert.Equal(expected, Endpoints(await Resolve(sp, "http://cart.shop:50051")));
        var feature = (await Resolve(sp, "https+http://_grpc.cart.shop")).Features.Get<IFastPathResolutionFeature>()!;
        Assert.Equal(ServiceResolutionOutcome.Resolved, feature.Outcome);
        Assert.Equal(1, feature.SnapshotVersion);
    }

    [Fact]
    public async Task Unknown_port_name_gives_no_endpoints_and_names_the_ports_that_exist()
    {
        var source = new TestSource(TestCluster.Service("cart", "grpc", 50051, [Ep.Of(A)]));
        await using var sp = Services(source.Publisher);
        var result = await Resolve(sp, "http://_metrics.cart.shop");
        Assert.Empty(result.Endpoints); // and in particular no DNS name from the pass-through provider
        var feature = result.Features.Get<IFastPathResolutionFeature>()!;
        Assert.Equal(ServiceResolutionOutcome.UnknownPort, feature.Outcome);
        Assert.Equal("Service shop/cart has no port named metrics; its ports are grpc (50051)", feature.Reason);
    }

    [Fact]
    public async Task Unknown_service_in_an_existing_namespace_gives_no_endpoints_with_the_reason()
    {
        var source = new TestSource(TestCluster.Service("cart", "http", 80, [Ep.Of(A)]));
        await using var sp = Services(source.Publisher);
        var result = await Resolve(sp, "http://basket.shop");
        Assert.Empty(result.Endpoints);
        var feature = result.Features.Get<IFastPathResolutionFeature>()!;
        Assert.Equal(ServiceResolutionOutcome.UnknownService, feature.Outcome);
        Assert.Equal("Service shop/basket does not exist", feature.Reason);
    }

    [Fact]
    public async Task Name_outside_the_cluster_is_left_to_the_other_providers()
    {
        var source = new TestSource(TestCluster.Service("cart", "http", 80, [Ep.Of(A)]));
        await using var sp = Services(source.Publisher);
        var result = await Resolve(sp, "http://example.com");
        Assert.Null(result.Features.Get<IFastPathResolutionFeature>());
        Assert.Equal(["example.com:80"], result.Endpoints.Select(e => e.EndPoint is DnsEndPoint d ? $"{d.Host}:{d.Port}" : "?"));
    }

    [Fact]
    public async Task No_eligible_endpoint_gives_no_endpoints_and_no_DNS_fallback_unless_configured()
    {
        var manifest = TestCluster.Service("cart", "http", 80, [Ep.Of(A, ready: false, serving: false)]);
        await using (var sp = Services(new TestSource(manifest).Publisher))
        {
            var result = await Resolve(sp, "http://cart.shop");
            Assert.Empty(result.Endpoints);
            var feature = result.Features.Get<IFastPathResolutionFeature>()!;
            Assert.Equal(ServiceResolutionOutcome.NoEligibleEndpoints, feature.Outcome);
            Assert.Equal("Service shop/cart port http (80): the service has no usable endpoints (reject)", feature.Reason);
        }
        await using (var sp = Services(new TestSource(manifest).Publisher, o => o.AllowDnsFallback = true))
        {
            var result = await Resolve(sp, "http://cart.shop");
            Assert.Equal(["cart.shop:80"], result.Endpoints.Select(e => e.EndPoint is DnsEndPoint d ? $"{d.Host}:{d.Port}" : "?"));
        }
    }

    [Fact]
    public async Task Serving_terminating_endpoints_are_used_only_when_none_is_ready()
    {
        var source = new TestSource(TestCluster.Service("cart", "http", 80,
            [Ep.Of(A, ready: false, serving: true, terminating: true), Ep.Of(B, ready: false, serving: false, terminating: true)]));
        await using var sp = Services(source.Publisher);
        Assert.Equal([A.Endpoint], Endpoints(await Resolve(sp, "http://cart.shop")));
    }

    [Fact]
    public async Task Internal_traffic_policy_Local_and_zone_hints_follow_the_apps_node()
    {
        var local = TestCluster.Service("cart", "http", 80, [Ep.Of(A, node: "node-a"), Ep.Of(B, node: "node-b")], spec: "  internalTrafficPolicy: Local");
        await using (var sp = Services(new TestSource(local, TestCluster.Nodes).Publisher, o => o.Node = "node-b"))
            Assert.Equal([B.Endpoint], Endpoints(await Resolve(sp, "http://cart.shop")));

        var hinted = TestCluster.Service("cart", "http", 80, [Ep.Of(A, node: "node-a", zoneHint: "zone-a"), Ep.Of(B, node: "node-b", zoneHint: "zone-b")]);
        await using (var sp = Services(new TestSource(hinted, TestCluster.Nodes).Publisher, o => o.Node = "node-a"))
            Assert.Equal([A.Endpoint], Endpoints(await Resolve(sp, "http://cart.shop")));
    }

    [Fact]
    public async Task Snapshot_changes_are_honoured_by_the_next_request_without_a_failed_request()
    {
        var source = new TestSource(TestCluster.Service("cart", "http", 80, [Ep.Of(A), Ep.Of(B)]));
        await using var sp = Services(source.Publisher);
        var client = sp.GetRequiredService<IHttpClientFactory>().CreateClient("cart");
        async Task<HashSet<string>> Round(int n)
        {
            var seen = new HashSet<string>();
            for (int i = 0; i < n; i++) seen.Add(await Get(client)); // any failure throws and fails the test
            return seen;
        }
        Assert.Equal([A.Name, B.Name], (await Round(4)).Order(StringComparer.Ordinal));

        source.Publish(TestCluster.Service("cart", "http", 80, [Ep.Of(A, ready: false), Ep.Of(B)]));
        Assert.Equal([B.Name], await Round(4));
        source.Publish(TestCluster.Service("cart", "http", 80, [Ep.Of(A, ready: false, serving: true, terminating: true), Ep.Of(B)]));
        Assert.Equal([B.Name], await Round(4));
        source.Publish(TestCluster.Service("cart", "http", 80, [Ep.Of(B)]));
        Assert.Equal([B.Name], await Round(4));
        source.Publish(TestCluster.Service("cart", "http", 80, [Ep.Of(B), Ep.Of(C)]));
        Assert.Equal([B.Name, C.Name], (await Round(4)).Order(StringComparer.Ordinal));
    }
}
