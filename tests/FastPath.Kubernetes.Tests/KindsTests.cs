using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using FastPath.Dns;
using FastPath.Kubernetes.Tests.FakeApi;
using Xunit;
using static FastPath.Kubernetes.Tests.FakeApi.ApiObjects;
using static FastPath.Kubernetes.Tests.LiveHarness;

namespace FastPath.Kubernetes.Tests;

/// <summary>Each watched kind added, modified and deleted on the API server shows in DNS answers and backend selection.</summary>
public sealed class KindsTests
{
    private const string Web = "web.default.svc.cluster.local";

    private static void Seed(FakeApiServer api)
    {
        api.Apply(Namespace("default"));
        api.Apply(Service("default", "web", "10.96.0.10"));
        api.Apply(Slice("default", "web-1", "web", [new Ep("10.0.0.1"), new Ep("10.0.0.2")]));
    }

    [Fact]
    public async Task Nothing_answers_until_every_resource_is_listed()
    {
        await using var h = await StartAsync(api => { Seed(api); api.Down = true; });
        await h.WaitForHealth(s => h.Api.Requests.Count >= 4, "the first failing lists");
        Assert.Null(h.Source.Current);
        Assert.False(h.Source.IsSynced);
        Assert.False(h.Source.IsStale); // not stale: never synced, so nothing is served at all
        Assert.Null(h.Source.LastSyncedAt);

        h.Api.Down = false;
        await h.Source.WaitForSyncAsync().WaitAsync(Timeout);
        Assert.Equal(["10.96.0.10"], A(h.Source.Current!, Web));
        Assert.NotNull(h.Source.LastSyncedAt);
    }

    [Fact]
    public async Task Service_added_modified_and_deleted_shows_in_dns_and_selection()
    {
        await using var h = await StartAsync(Seed);
        var s = await h.WaitFor(s => A(s, Web).Count == 1, "web");
        Assert.Equal(["10.96.0.10"], A(s, Web));
        var pick = s.DataPlane.Find("default", "web", "http")!.Select(IPAddress.Parse("192.168.1.1"));
        Assert.Contains(pick.Endpoint, new[] { "10.0.0.1:8080", "10.0.0.2:8080" });

        h.Api.Apply(Service("default", "web", "10.96.0.11"));
        s = await h.WaitFor(s => A(s, Web).SequenceEqual(["10.96.0.11"]), "web's new clusterIP");
        Assert.Equal("10.96.0.11", s.DataPlane.Find("default", "web", "http")!.ClusterIP);

        h.Api.Apply(Service("default", "api", "10.96.0.20", port: 9090, portName: "grpc"));
        s = await h.WaitFor(s => A(s, "api.default.svc.cluster.local").Count == 1, "api added");
        Assert.Equal(FastPath.Runtime.ProxyAction.Reject, ProxyActionOf(s, "api", "grpc")); // no endpoints yet: kube-proxy rejects

        Assert.True(h.Api.Delete("Service", "default", "web"));
        s = await h.WaitFor(s => RcodeOf(s, Web) == Rcode.NXDomain, "web deleted");
        Assert.Null(s.DataPlane.Find("default", "web", "http"));
        Assert.Equal(["10.96.0.20"], A(s, "api.default.svc.cluster.local"));
    }

    [Fact]
    public async Task EndpointSlice_added_modified_and_deleted_shows_in_headless_answers_and_selection()
    {
        await using var h = await StartAsync(api =>
        {
            api.Apply(Namespace("default"));
            api.Apply(Service("default", "db", "None"));
            api.Apply(Service("default", "web", "10.96.0.10"));
        });
        var s = await h.WaitFor(s => s.Cluster!.Services.Count == 2, "two services");
        Assert.Empty(A(s, "db.default.svc.cluster.local"));

        h.Api.Apply(Slice("default", "db-1", "db", [new Ep("10.0.1.1")]));
        h.Api.Apply(Slice("default", "web-1", "web", [new Ep("10.0.0.1")]));
        s = await h.WaitFor(s => A(s, "db.default.svc.cluster.local").Count == 1 && s.DataPlane.Find("default", "web", "http")!.Endpoints.Count == 1, "slices added");
        Assert.Equal(["10.0.1.1"], A(s, "db.default.svc.cluster.local"));
        Assert.Equal("10.0.0.1:8080", s.DataPlane.Find("default", "web", "http")!.Select(IPAddress.Parse("192.168.1.1")).Endpoint);

        h.Api.Apply(Slice("default", "db-1", "db", [new Ep("10.0.1.1"), new Ep("10.0.1.2"), new Ep("10.0.1.3", Ready: false)]));
        h.Api.Apply(Slice("default", "web-1", "web", [new Ep("10.0.0.2")]));
        s = await h.WaitFor(s => A(s, "db.default.svc.cluster.local").Count == 2 && s.DataPlane.Find("default", "web", "http")!.Endpoints.SequenceEqual(["10.0.0.2:8080"]), "slices modified");
        Assert.Equal(["10.0.1.1", "10.0.1.2"], A(s, "db.default.svc.cluster.local")); // not-ready endpoints are not published

        h.Api.Delete("EndpointSlice", "default", "db-1");
        h.Api.Delete("EndpointSlice", "default", "web-1");
        s = await h.WaitFor(s => A(s, "db.default.svc.cluster.local").Count == 0 && s.DataPlane.Find("default", "web", "http")!.Endpoints.Count == 0, "slices deleted");
        Assert.Equal(FastPath.Runtime.ProxyAction.Reject, ProxyActionOf(s, "web", "http"));
    }

    [Fact]
    public async Task Namespace_added_and_deleted_decides_whether_its_name_exists()
    {
        await using var h = await StartAsync(Seed);
        const string name = "shop.svc.cluster.local";
        var s = await h.WaitFor(s => s.Cluster!.Services.Count == 1, "synced");
        Assert.Equal(Rcode.NXDomain, RcodeOf(s, name));

        h.Api.Apply(Namespace("shop"));
        s = await h.WaitFor(s => s.Cluster!.NamespaceExists("shop"), "shop added");
        Assert.Equal(Rcode.NoError, RcodeOf(s, name));

        h.Api.Delete("Namespace", null, "shop");
        s = await h.WaitFor(s => !s.Cluster!.NamespaceExists("shop"), "shop deleted");
        Assert.Equal(Rcode.NXDomain, RcodeOf(s, name));
    }

    [Fact]
    public async Task Coredns_configmap_change_switches_the_cluster_domain()
    {
        await using var h = await StartAsync(api => { Seed(api); api.Apply(Corefile(CorefileFor("cluster.local"))); });
        var s = await h.WaitFor(s => A(s, Web).Count == 1, "cluster.local");

        h.Api.Apply(Corefile(CorefileFor("corp.example")));
        s = await h.WaitFor(s => A(s, "web.default.svc.corp.example").Count == 1, "the new zone");
        Assert.Equal(["10.96.0.10"], A(s, "web.default.svc.corp.example"));
        Assert.Empty(A(s, Web));

        h.Api.Delete("ConfigMap", "kube-system", "coredns");
        s = await h.WaitFor(s => A(s, Web).Count == 1, "the default Corefile again");
        Assert.Empty(A(s, "web.default.svc.corp.example"));
    }

    [Fact]
    public async Task Pods_are_watched_only_while_the_corefile_says_pods_verified()
    {
        await using var h = await StartAsync(api =>
        {
            Seed(api);
            api.Apply(Corefile(CorefileFor("cluster.local", "insecure")));
            api.Apply(Pod("default", "p1", "10.0.0.5"));
        });
        await h.WaitFor(s => A(s, Web).Count == 1, "synced");
        Assert.DoesNotContain(h.Source.Watched, w => w.Api == ResourceApi.Pods);
        Assert.Equal(0, h.Api.Lists("api/v1/pods"));

        h.Api.Apply(Corefile(CorefileFor("cluster.local", "verified")));
        var s = await h.WaitFor(s => s.Cluster!.Pods.Count == 1 && A(s, "10-0-0-5.default.pod.cluster.local").Count == 1, "the pod watched");
        Assert.Contains(h.Source.Watched, w => w.Api == ResourceApi.Pods);
        Assert.Empty(A(s, "10-0-0-9.default.pod.cluster.local")); // verified: no Pod has that address

        h.Api.Delete("Pod", "default", "p1");
        s = await h.WaitFor(s => s.Cluster!.Pods.Count == 0, "the pod deleted");
        Assert.Empty(A(s, "10-0-0-5.default.pod.cluster.local"));

        h.Api.Apply(Corefile(CorefileFor("cluster.local", "insecure")));
        await h.WaitFor(s => A(s, "10-0-0-9.default.pod.cluster.local").Count == 1, "insecure again");
        Assert.DoesNotContain(h.Source.Watched, w => w.Api == ResourceApi.Pods);
    }

    [Fact]
    public async Task Nodes_are_watched_for_topology_and_their_zone_steers_hinted_endpoints()
    {
        await using var h = await StartAsync(api =>
        {
            api.Apply(Namespace("default"));
            api.Apply(Service("default", "web", "10.96.0.10"));
            api.Apply(Slice("default", "web-1", "web", [new Ep("10.0.0.1", Zone: "a", Hint: "a"), new Ep("10.0.0.2", Zone: "b", Hint: "b")]));
            api.Apply(Node("n1", "a"));
        }, o => o.WatchNodes = true);
        var s = await h.WaitFor(s => s.Cluster!.Nodes.Count == 1, "the node");
        var port = s.DataPlane.Find("default", "web", "http")!;
        Assert.Equal(["10.0.0.1:8080"], port.Decide("n1").Eligible.Select(i => port.Endpoints[i]));

        h.Api.Apply(Node("n1", "b"));
        s = await h.WaitFor(s => s.Cluster!.FindNode("n1")!.Zone == "b", "the node's new zone");
        port = s.DataPlane.Find("default", "web", "http")!;
        Assert.Equal(["10.0.0.2:8080"], port.Decide("n1").Eligible.Select(i => port.Endpoints[i]));

        h.Api.Delete("Node", null, "n1");
        s = await h.WaitFor(s => s.Cluster!.Nodes.Count == 0, "the node deleted");
        port = s.DataPlane.Find("default", "web", "http")!;
        Assert.Equal(2, port.Decide("n1").Eligible.Length); // no zone known: every ready endpoint
    }

    [Fact]
    public async Task Nodes_and_pods_are_not_watched_unless_needed()
    {
        await using var h = await StartAsync(Seed);
        await h.WaitFor(s => A(s, Web).Count == 1, "synced");
        Assert.Equal(["configmaps@kube-system", "endpointslices", "namespaces", "services"], h.Source.Watched.Select(w => w.Name).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(0, h.Api.Lists("api/v1/nodes"));
        Assert.Equal(0, h.Api.Lists("api/v1/pods"));
    }

    internal static FastPath.Runtime.ProxyAction ProxyActionOf(FastPath.Live.ClusterSnapshot s, string service, string port) =>
        s.DataPlane.Find("default", service, port)!.Decide().Action;

    internal static string CorefileFor(string zone, string pods = "insecure") => $$"""
        .:53 {
            errors
            health
            ready
            kubernetes {{zone}} in-addr.arpa ip6.arpa {
               pods {{pods}}
               fallthrough in-addr.arpa ip6.arpa
               ttl 30
            }
            cache 30
            loop
            reload
            loadbalance
        }
        """;
}
