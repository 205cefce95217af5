using System.Linq;
using System.Net;
using FastPath.Compiled;
using FastPath.Dns;
using FastPath.Model.Loading;
using FastPath.Reference.Dns;
using FastPath.Runtime;
using FastPath.Tests.Compiled;
using FastPath.Tests.Generated;
using Xunit;

namespace FastPath.Tests.Generator;

/// <summary>The demo cluster as the source generator compiled it into this test assembly, held against the references.</summary>
public class GeneratedDemoTests
{
    private static readonly Model.Cluster Cluster = ClusterLoader.LoadPaths([TestClusters.DemoPath]).Cluster!;

    [Fact]
    public void Typed_accessors_select_through_generated_code()
    {
        var client = IPAddress.Parse("10.9.8.7");
        var first = Demo.Shop.Cart.Grpc.Select(client, "node-a");
        Assert.Equal(ProxyAction.Forward, first.Action);
        Assert.Equal(first.Endpoint, Demo.Shop.Cart.Grpc.Select(client, "node-a").Endpoint); // ClientIP affinity
        Assert.Equal(ProxyAction.Drop, Demo.Shop.Frontend.Http.Select(client, "node-b", external: true).Action);
        Assert.Equal(new[] { "10.244.1.10:8080", "10.244.2.10:8080" }, Demo.Default.MyService.Http.Endpoints);
        Assert.Contains(Demo.Environment("shop"), kv => kv.Key == "CART_SERVICE_PORT_GRPC" && kv.Value == "50051");
    }

    [Fact]
    public void Generated_dns_answers_every_demo_name_as_the_reference()
    {
        var reference = new ReferenceResolver(Cluster);
        var dns = Demo.Dns;
        // The demo's Corefile has loadbalance; rotation is per engine, so compare one query per name and type
        // on a reference whose counter matches: ask each name the same number of times on both.
        int asked = 0;
        foreach (var s in Cluster.Services)
            foreach (var t in new[] { DnsType.A, DnsType.AAAA, DnsType.SRV, DnsType.TXT })
            {
                var q = new DnsQuery($"{s.Name}.{s.Namespace}.svc.cluster.local", t, Id: 5);
                var want = reference.Resolve(q).Response;
                var got = dns.Resolve(q).Response;
                Assert.Equal(want.Rcode, got.Rcode);
                Assert.Equal(want.Answer.Select(r => r.ToString()).OrderBy(x => x), got.Answer.Select(r => r.ToString()).OrderBy(x => x));
                Assert.Equal(want.Additional.Select(r => r.ToString()).OrderBy(x => x), got.Additional.Select(r => r.ToString()).OrderBy(x => x));
                asked++;
            }
        Assert.True(asked >= 40);
    }

    [Fact]
    public void Generated_selectors_decide_as_the_reference_data_plane() =>
        CompiledDataPlaneDifferentialTests.AssertSameDecisions(Cluster, Demo.DataPlane);

    [Fact]
    public void Utf8_lookup_finds_the_precomputed_answer()
    {
        int answer = Demo.Dns.LookupAnswer("my-service.default.svc.cluster.local"u8, DnsType.A);
        Assert.True(answer >= 0);
        Assert.Equal(Rcode.NoError, Demo.Dns.RcodeOf(answer));
        Assert.Equal(answer, Demo.Dns.LookupAnswer("MY-SERVICE.default.svc.Cluster.Local.", DnsType.A));
        Assert.Equal(-1, Demo.Dns.LookupAnswer("nope.default.svc.cluster.local"u8, DnsType.A));
        // One byte short or long of a name: the slot's key length rejects it.
        Assert.Equal(-1, Demo.Dns.LookupAnswer("my-service.default.svc.cluster.loca"u8, DnsType.A));
        Assert.Equal(-1, Demo.Dns.LookupAnswer("my-service.default.svc.cluster.locals"u8, DnsType.A));
    }

    // The lookup's promise: 0 B per query, on the inline compare (16-32 bytes), the general one (longer) and a miss.
    [Fact]
    public void Utf8_lookups_allocate_nothing()
    {
        var names = new[] { "my-service.default.svc.cluster.local"u8.ToArray(), "cart.shop.svc.cluster.local"u8.ToArray(),
            "10-244-1-10.my-service.default.svc.cluster.local"u8.ToArray(), "nope.default.svc.cluster.local"u8.ToArray() };
        int found = 0;
        long allocated = Allocations.OfSecondRun(() =>
        {
            for (int i = 0; i < 10_000; i++)
                foreach (var n in names) found += Demo.Dns.LookupAnswer(n, DnsType.A) >= 0 ? 1 : 0;
        });
        Assert.Equal(0, allocated);
        Assert.Equal(3 * 20_000, found);
    }
}
