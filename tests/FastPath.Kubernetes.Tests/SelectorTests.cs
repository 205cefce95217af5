using System;
using System.Linq;
using System.Threading.Tasks;
using FastPath.Dns;
using FastPath.Kubernetes.Tests.FakeApi;
using FastPath.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;
using static FastPath.Kubernetes.Tests.FakeApi.ApiObjects;
using static FastPath.Kubernetes.Tests.LiveHarness;

namespace FastPath.Kubernetes.Tests;

/// <summary>An app that needs a few Services asks the API server for those only.</summary>
public sealed class SelectorTests
{
    private static void Seed(FakeApiServer api)
    {
        foreach (var ns in new[] { "shop", "billing", "other" }) api.Apply(Namespace(ns));
        foreach (var ns in new[] { "shop", "billing", "other" })
            foreach (var (name, team) in new[] { ("front", "web"), ("cache", "infra") })
            {
                var labels = Labels("team=" + team);
                api.Apply(Service(ns, name, $"10.96.{Array.IndexOf(new[] { "shop", "billing", "other" }, ns)}.{(team == "web" ? 1 : 2)}", labels: labels));
                api.Apply(Slice(ns, name + "-1", name, [new Ep("10.0.0.1")], labels: labels));
            }
    }

    [Fact]
    public async Task Namespace_and_label_selectors_limit_what_is_listed_and_streamed()
    {
        await using var h = await StartAsync(Seed, o => { o.Namespaces.Add("shop"); o.Namespaces.Add("billing"); o.LabelSelector = "team=web"; });
        var s = await h.WaitFor(s => s.Cluster!.Services.Count == 2, "the selected services");
        Assert.Equal(["billing/front", "shop/front"], s.Cluster!.Services.Select(x => x.Meta.Key));
        Assert.Equal(["billing/front-1", "shop/front-1"], s.Cluster.EndpointSlices.Select(x => x.Meta.Key));
        Assert.Equal(["10.96.0.1"], A(s, "front.shop.svc.cluster.local"));
        Assert.Equal(Rcode.NXDomain, RcodeOf(s, "front.other.svc.cluster.local"));

        // Every request names a selected namespace (no cluster-wide list or watch of services or slices) and the selector.
        var requests = h.Api.Requests.Where(r => r.Contains("services", StringComparison.Ordinal) || r.Contains("endpointslices", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.Matches("namespaces/(shop|billing)/", r));
        Assert.All(requests, r => Assert.Contains("labelSelector=team%3Dweb", r));
        Assert.All(h.Api.Requests.Where(r => r.StartsWith("api/v1/namespaces?", StringComparison.Ordinal)), r => Assert.Matches("fieldSelector=metadata.name%3D(shop|billing)", r));

        // Changes outside the selection never reach the snapshot; a label change moves a Service in or out.
        h.Api.Apply(Service("other", "new", "10.96.2.9", labels: Labels("team=web")));
        h.Api.Apply(Service("shop", "cache", "10.96.0.2", labels: Labels("team=web")));
        s = await h.WaitFor(s => s.Cluster!.Services.Count == 3, "cache relabelled into the selection");
        Assert.Equal(["billing/front", "shop/cache", "shop/front"], s.Cluster!.Services.Select(x => x.Meta.Key));
        h.Api.Apply(Service("shop", "front", "10.96.0.1", labels: Labels("team=infra")));
        s = await h.WaitFor(s => s.Cluster!.Services.Count == 2, "front relabelled out");
        Assert.Equal(["billing/front", "shop/cache"], s.Cluster!.Services.Select(x => x.Meta.Key));
    }

    [Fact]
    public async Task Host_registration_gives_one_source_that_starts_with_the_host()
    {
        await using var api = await FakeApiServer.StartAsync();
        Seed(api);
        var services = new ServiceCollection();
        services.AddFastPathKubernetes(o =>
        {
            o.Configuration = new k8s.KubernetesClientConfiguration { Host = api.BaseUri.ToString() };
            o.Namespaces.Add("shop");
        });
        await using var provider = services.BuildServiceProvider();
        var source = provider.GetRequiredService<IKubernetesClusterSource>();
        Assert.Same(source, provider.GetRequiredService<IClusterSnapshotSource>());
        var hosted = Assert.Single(provider.GetServices<IHostedService>());
        Assert.Same(source, hosted);
        Assert.Null(source.Current);

        await hosted.StartAsync(default);
        await source.WaitForSyncAsync().WaitAsync(Timeout);
        Assert.Equal(["shop/cache", "shop/front"], source.Current!.Cluster!.Services.Select(x => x.Meta.Key));
        await hosted.StopAsync(default);
    }

    [Fact]
    public void Options_are_validated_with_the_setting_named()
    {
        var services = new ServiceCollection();
        services.AddFastPathKubernetes(o => { o.Namespaces.Add("Not_A_Namespace"); o.Configuration = new k8s.KubernetesClientConfiguration { Host = "http://127.0.0.1:1" }; });
        using var provider = services.BuildServiceProvider();
        var ex = Assert.Throws<ArgumentException>(() => provider.GetRequiredService<IKubernetesClusterSource>());
        Assert.Contains("Not_A_Namespace", ex.Message);
    }
}
