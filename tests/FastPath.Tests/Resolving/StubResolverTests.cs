using System.Collections.Generic;
using System.Linq;
using System.Net;
using FastPath.Dns;
using FastPath.Live;
using FastPath.Model.Kubelet;
using FastPath.Resolving;
using Xunit;

namespace FastPath.Tests.Resolving;

/// <summary>glibc's __res_context_search order and stopping rules, against a scripted nameserver and the demo cluster.</summary>
public class StubResolverTests
{
    private static readonly ResolvConf ClusterFirst = new(["10.96.0.10"], ["shop.svc.cluster.local", "svc.cluster.local", "cluster.local"], ["ndots:5"]);

    /// <summary>A nameserver that answers from a script: name → rcode, or "A" for an address; anything else NXDOMAIN.</summary>
    private static (StubResolver Resolver, List<string> Asked) Scripted(ResolvConf conf, Dictionary<string, string> script)
    {
        var asked = new List<string>();
        DnsResult Answer(DnsQuery q)
        {
            asked.Add(q.Name);
            var m = new DnsMessage { Question = new DnsQuestion(q.Name, q.Type) };
            var what = script.GetValueOrDefault(q.Name, "NXDOMAIN");
            switch (what)
            {
                case "A": m.Answer.Add(DnsRecord.Address(q.Name, 30, IPAddress.Parse("192.0.2.1"))); break;
                case "NODATA": break;
                case "FORWARD": return new DnsResult(m, DnsOutcome.Forward, ["/etc/resolv.conf"]);
                default: m.Rcode = what switch { "SERVFAIL" => Rcode.ServFail, "REFUSED" => Rcode.Refused, _ => Rcode.NXDomain }; break;
            }
            return DnsResult.Answer(m);
        }
        return (new StubResolver(conf, Answer), asked);
    }

    [Fact]
    public void Short_name_walks_the_search_list_in_order_then_asks_as_is()
    {
        var (r, asked) = Scripted(ClusterFirst, new());
        var result = r.Lookup("nosuch");
        Assert.Equal(["nosuch.shop.svc.cluster.local.", "nosuch.svc.cluster.local.", "nosuch.cluster.local.", "nosuch."], asked);
        Assert.Equal(LookupStatus.NxDomain, result.Status);
        Assert.Equal(4, result.Queries);
    }

    [Fact]
    public void Trailing_dot_asks_the_name_once_and_nothing_else()
    {
        var (r, asked) = Scripted(ClusterFirst, new());
        var result = r.Lookup("example.com.");
        Assert.Equal(["example.com."], asked);
        Assert.Equal(LookupStatus.NxDomain, result.Status);
    }

    [Fact]
    public void Name_with_ndots_dots_is_asked_as_is_first_and_one_dot_fewer_is_searched_first()
    {
        var conf = new ResolvConf(["10.96.0.10"], ["a.example"], ["ndots:2"]);
        var (r, asked) = Scripted(conf, new() { ["x.y.z."] = "A", ["x.y.a.example."] = "A" });
        Assert.Equal(LookupStatus.Answered, r.Lookup("x.y.z").Status);   // 2 dots = ndots: as is first
        Assert.Equal(["x.y.z."], asked);
        asked.Clear();
        Assert.Equal(LookupStatus.Answered, r.Lookup("x.y").Status);     // 1 dot < ndots: search first
        Assert.Equal(["x.y.a.example."], asked);
    }

    [Fact]
    public void Nxdomain_nodata_and_servfail_on_a_search_domain_all_move_on()
    {
        var (r, asked) = Scripted(ClusterFirst, new()
        {
            ["cart.shop.svc.cluster.local."] = "NODATA",
            ["cart.svc.cluster.local."] = "SERVFAIL",
            ["cart.cluster.local."] = "NXDOMAIN",
            ["cart."] = "A",
        });
        var result = r.Lookup("cart");
        Assert.Equal(LookupStatus.Answered, result.Status);
        Assert.Equal(["NODATA", "SERVFAIL", "NXDOMAIN", "NOERROR"], result.Steps.Select(s => s.OutcomeText));
        Assert.Equal("cart.", result.Final!.Name);
    }

    [Fact]
    public void Nodata_is_reported_only_when_nothing_answers()
    {
        var (r, _) = Scripted(ClusterFirst, new() { ["cart.svc.cluster.local."] = "NODATA", ["cart.cluster.local."] = "SERVFAIL" });
        Assert.Equal(LookupStatus.NoData, r.Lookup("cart").Status);
        var (answered, _) = Scripted(ClusterFirst, new() { ["cart.shop.svc.cluster.local."] = "NODATA", ["cart.cluster.local."] = "A" });
        Assert.Equal(LookupStatus.Answered, answered.Lookup("cart").Status);
        var (servfail, _) = Scripted(ClusterFirst, new() { ["cart.svc.cluster.local."] = "SERVFAIL" });
        Assert.Equal(LookupStatus.ServFail, servfail.Lookup("cart").Status);
    }

    [Fact]
    public void The_first_as_is_querys_error_is_the_final_one()
    {
        var conf = new ResolvConf(["10.96.0.10"], ["a.example"], ["ndots:1"]);
        var (r, asked) = Scripted(conf, new() { ["x.y."] = "SERVFAIL", ["x.y.a.example."] = "NODATA" });
        var result = r.Lookup("x.y");
        Assert.Equal(["x.y.", "x.y.a.example."], asked);
        Assert.Equal(LookupStatus.ServFail, result.Status);
    }

    [Fact]
    public void Refused_ends_the_search_but_the_name_is_still_asked_as_is()
    {
        var (r, asked) = Scripted(ClusterFirst, new() { ["cart.svc.cluster.local."] = "REFUSED" });
        var result = r.Lookup("cart");
        Assert.Equal(["cart.shop.svc.cluster.local.", "cart.svc.cluster.local.", "cart."], asked);
        Assert.Equal(LookupStatus.NxDomain, result.Status);
    }

    [Fact]
    public void Root_in_the_search_list_is_the_as_is_query()
    {
        var (r, asked) = Scripted(new ResolvConf(["127.0.0.1"], ["."], []), new());
        r.Lookup("cart");
        Assert.Equal(["cart."], asked);
    }

    [Fact]
    public void No_tld_query_keeps_a_searched_single_label_from_being_asked_as_is()
    {
        var (r, asked) = Scripted(new ResolvConf(["10.96.0.10"], ["a.example"], ["ndots:5", "no-tld-query"]), new());
        r.Lookup("cart");
        Assert.Equal(["cart.a.example."], asked);
        asked.Clear();
        r.Lookup("cart.shop");
        Assert.Equal(["cart.shop.a.example.", "cart.shop."], asked);
    }

    [Fact]
    public void Ndots_is_capped_at_15_as_res_init_does()
    {
        Assert.Equal(15, new ResolvConf([], [], ["ndots:40"]).Ndots);
        Assert.Equal(1, new ResolvConf([], [], []).Ndots);
        Assert.Equal(3, new ResolvConf([], [], ["ndots:5", "ndots:3"]).Ndots);
    }

    [Fact]
    public void Forwarded_name_ends_the_walk_with_the_upstream_named()
    {
        var (r, asked) = Scripted(ClusterFirst, new() { ["example.com."] = "FORWARD" });
        var result = r.Lookup("example.com");
        Assert.Equal(4, asked.Count);
        Assert.Equal(LookupStatus.Forwarded, result.Status);
        Assert.Equal(["/etc/resolv.conf"], result.Final!.Result.Upstreams);
    }

    [Theory]
    [InlineData("cart", 1, "cart.shop.svc.cluster.local.")]
    [InlineData("cart.shop", 2, "cart.shop.svc.cluster.local.")]
    [InlineData("my-service.default.svc.cluster.local", 4, "my-service.default.svc.cluster.local.")]
    [InlineData("my-service.default.svc.cluster.local.", 1, "my-service.default.svc.cluster.local.")]
    public void Demo_cluster_names_resolve_from_the_in_memory_snapshot_with_glibcs_query_count(string name, int queries, string answeredAs)
    {
        var cluster = FastPath.Model.Loading.ClusterLoader.LoadPaths([TestClusters.DemoPath]).Cluster!;
        var snapshot = ClusterSnapshot.Build(cluster);
        var result = new StubResolver(ClusterFirst, snapshot.Dns.Resolve).Lookup(name);
        Assert.Equal(LookupStatus.Answered, result.Status);
        Assert.Equal(queries, result.Queries);
        Assert.Equal(answeredAs, result.Final!.Name);
        Assert.Equal(DnsType.A, Assert.Single(result.Final.Result.Response.Answer).Type);
    }
}
