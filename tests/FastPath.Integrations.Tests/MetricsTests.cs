using System.Net;
using System.Threading.Tasks;
using FastPath.Diagnostics;
using FastPath.Grpc;
using FastPath.Integrations.Tests.Infrastructure;
using FastPath.Yarp;
using Grpc.Core;
using Xunit;
using static FastPath.Diagnostics.FastPathMetrics;

namespace FastPath.Integrations.Tests;

/// <summary>
/// Every integration reports to the same FastPath instruments through the host's IMeterFactory: real resolutions,
/// proxied requests and gRPC calls, read back with a MeterListener.
/// </summary>
[Collection(BackendsCollection.Name)]
public sealed class MetricsTests(Backends backends)
{
    [Fact]
    public async Task Service_discovery_counts_resolutions_endpoints_misses_and_snapshot_age()
    {
        var (a, b) = (backends.Http1[0], backends.Http1[1]);
        using var meters = new Measurements();
        var source = new TestSource(TestCluster.Service("cart", "http", 80, [Ep.Of(a), Ep.Of(b), Ep.Of(backends.Http1[2], ready: false, serving: false)]));
        await using var sp = ServiceDiscoveryTests.Services(source.Publisher, meters: meters);
        Assert.Equal(2, (await ServiceDiscoveryTests.Resolve(sp, "http://cart.shop")).Endpoints.Count);
        Assert.Empty((await ServiceDiscoveryTests.Resolve(sp, "http://basket.shop")).Endpoints);
        Assert.Empty((await ServiceDiscoveryTests.Resolve(sp, "http://_metrics.cart.shop")).Endpoints);

        const string sd = "servicediscovery";
        Assert.Equal(3, meters.Count(LookupsName, (IntegrationTag, sd)));
        Assert.Equal(1, meters.Count(SelectionsName, (IntegrationTag, sd), (ServiceTag, "shop/cart"), (EndpointTag, a.Endpoint)));
        Assert.Equal(1, meters.Count(SelectionsName, (IntegrationTag, sd), (ServiceTag, "shop/cart"), (EndpointTag, b.Endpoint)));
        Assert.Equal(2, meters.Count(SelectionsName)); // the not-ready endpoint is never offered
        Assert.Equal(1, meters.Count(MissesName, (IntegrationTag, sd), (ReasonTag, MissReason.UnknownService)));
        Assert.Equal(1, meters.Count(MissesName, (IntegrationTag, sd), (ReasonTag, MissReason.UnknownPort)));
        Assert.True(meters.Count(SnapshotAgeName, (IntegrationTag, sd)) >= 1); // observed at every read
    }

    [Fact]
    public async Task Yarp_counts_requests_per_destination_with_persistence_and_503s_with_the_reason()
    {
        var (a, b) = (backends.Http1[0], backends.Http1[1]);
        using var meters = new Measurements();
        var source = new TestSource(TestCluster.Service("cart", "http", 80, [Ep.Of(a), Ep.Of(b)]),
            TestCluster.Service("empty", "http", 80, [Ep.Of(backends.Http1[2], ready: false, serving: false)]));
        await using var proxy = await Proxy.StartAsync(source.Publisher,
            o => { o.Services.Add("cart.shop"); o.Services.Add("empty.shop"); o.Services.Add("basket.shop"); o.LoadBalancingPolicy = FastPathPolicyNames.ClientIP; },
            c => c.ForwardedHeader = "X-Forwarded-For", meters: meters);

        var first = await proxy.Backend("cart.shop", "10.1.0.1");
        Assert.Equal(first, await proxy.Backend("cart.shop", "10.1.0.1"));
        Assert.Equal(first, await proxy.Backend("cart.shop", "10.1.0.1"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await proxy.Get("empty.shop")).Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await proxy.Get("basket.shop")).Status);

        var endpoint = first == a.Name ? a.Endpoint : b.Endpoint;
        Assert.Equal(5, meters.Count(LookupsName, (IntegrationTag, "yarp")));
        Assert.Equal(1, meters.Count(SelectionsName, (IntegrationTag, "yarp"), (ServiceTag, "shop/cart"), (EndpointTag, endpoint), (StickyTag, false)));
        Assert.Equal(2, meters.Count(SelectionsName, (IntegrationTag, "yarp"), (ServiceTag, "shop/cart"), (EndpointTag, endpoint), (StickyTag, true)));
        Assert.Equal(3, meters.Count(SelectionsName));
        Assert.Equal(1, meters.Count(MissesName, (IntegrationTag, "yarp"), (ReasonTag, MissReason.NoEndpoints)));
        Assert.Equal(1, meters.Count(MissesName, (IntegrationTag, "yarp"), (ReasonTag, MissReason.UnknownService)));
        Assert.True(meters.Count(SnapshotAgeName, (IntegrationTag, "yarp")) >= 1); // observed at every read
    }

    [Fact]
    public async Task Grpc_counts_every_pick_per_endpoint_and_failed_picks_with_the_resolvers_reason()
    {
        var (a, b) = (backends.Http2[0], backends.Http2[1]);
        using var meters = new Measurements();
        var service = TestCluster.Service("cart", "grpc", 50051, [Ep.Of(a), Ep.Of(b)], appProtocol: "kubernetes.io/h2c");
        var source = new TestSource(service);
        using (var client = new GrpcTests.Client(source.Publisher, "fastpath:///cart.shop:grpc", FastPathBalancerNames.RoundRobin, meters))
        {
            await client.WarmUp(a, b);
            var before = meters.Count(SelectionsName, (EndpointTag, a.Endpoint));
            for (int i = 0; i < 4; i++) await client.Who();
            Assert.Equal(before + 2, meters.Count(SelectionsName, (IntegrationTag, "grpc"), (ServiceTag, "shop/cart"), (EndpointTag, a.Endpoint), (StickyTag, false)));
        }
        using (var client = new GrpcTests.Client(source.Publisher, "fastpath:///cart.shop:metrics", FastPathBalancerNames.RoundRobin, meters))
            Assert.Equal(StatusCode.Unavailable, (await Assert.ThrowsAsync<RpcException>(client.Who)).StatusCode);

        Assert.Equal(meters.Count(SelectionsName, (IntegrationTag, "grpc")) + meters.Count(MissesName, (IntegrationTag, "grpc")),
            meters.Count(LookupsName, (IntegrationTag, "grpc")));
        Assert.True(meters.Count(MissesName, (IntegrationTag, "grpc"), (ReasonTag, MissReason.UnknownPort)) >= 1);
        Assert.Equal(0, meters.Count(MissesName, (IntegrationTag, "grpc"), (ReasonTag, MissReason.NoEndpoints)));
        Assert.True(meters.Count(SnapshotAgeName, (IntegrationTag, "grpc")) >= 1); // observed at every read
    }
}
