using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using FastPath.Kubernetes.Tests.FakeApi;
using FastPath.Live;
using FastPath.Runtime;
using Xunit;
using static FastPath.Kubernetes.Tests.FakeApi.ApiObjects;
using static FastPath.Kubernetes.Tests.LiveHarness;

namespace FastPath.Kubernetes.Tests;

/// <summary>Deployments scaling and rolling, as the EndpointSlice controller reports them, seen through the watch.</summary>
public sealed class ChurnTests
{
    private static IEnumerable<IPAddress> Clients() => Enumerable.Range(1, 200).Select(i => new IPAddress(new byte[] { 192, 168, (byte)(i / 250), (byte)(i % 250 + 1) }));

    /// <summary>Every client's pick, for the service's http port.</summary>
    private static HashSet<string> Picks(ClusterSnapshot s)
    {
        var port = s.DataPlane.Find("default", "web", "http")!;
        return Clients().Select(c => port.Select(c)).Where(p => p.Action == ProxyAction.Forward).Select(p => p.Endpoint!).ToHashSet();
    }

    [Fact]
    public async Task Scale_up_from_3_to_300_endpoints_reaches_dns_and_selection()
    {
        await using var h = await StartAsync(api =>
        {
            api.Apply(Namespace("default"));
            api.Apply(Service("default", "web", "10.96.0.10"));
            api.Apply(Service("default", "web-headless", "None"));
            api.Apply(Slice("default", "web-1", "web", Enumerable.Range(1, 3).Select(i => new Ep("10.1.0." + i))));
            api.Apply(Slice("default", "web-headless-1", "web-headless", Enumerable.Range(1, 3).Select(i => new Ep("10.1.0." + i))));
        }, o => o.Debounce = TimeSpan.FromMilliseconds(20)); // the controller's burst of slices becomes one snapshot, not six full builds
        var s = await h.WaitFor(s => s.DataPlane.Find("default", "web", "http")?.Endpoints.Count == 3, "3 endpoints");
        Assert.Equal(3, A(s, "web-headless.default.svc.cluster.local").Count);

        // The controller fills slices of at most 100 endpoints.
        var all = Enumerable.Range(0, 300).Select(i => "10.1." + (i / 100) + "." + (i % 100 + 1)).ToList();
        for (int slice = 0; slice < 3; slice++)
        {
            var eps = all.Skip(slice * 100).Take(100).Select(ip => new Ep(ip)).ToList();
            h.Api.Apply(Slice("default", "web-" + (slice + 1), "web", eps));
            h.Api.Apply(Slice("default", "web-headless-" + (slice + 1), "web-headless", eps));
        }
        s = await h.WaitFor(s => s.DataPlane.Find("default", "web", "http")?.Endpoints.Count == 300 && A(s, "web-headless.default.svc.cluster.local").Count == 300, "300 endpoints");
        var port = s.DataPlane.Find("default", "web", "http")!;
        Assert.Equal(all.Select(ip => ip + ":8080").OrderBy(x => x, StringComparer.Ordinal), port.Endpoints);
        Assert.Equal(300, port.Decide().Eligible.Length);
        Assert.Equal(all.OrderBy(x => x, StringComparer.Ordinal), A(s, "web-headless.default.svc.cluster.local"));
        Assert.True(Picks(s).Count > 50); // 200 clients spread over the 300 endpoints
        Assert.All(Picks(s), p => Assert.Contains(p, port.Endpoints));
    }

    [Fact]
    public async Task Rolling_update_never_selects_a_gone_endpoint_and_falls_back_to_terminating_as_kube_proxy_does()
    {
        await using var h = await StartAsync(api =>
        {
            api.Apply(Namespace("default"));
            api.Apply(Service("default", "web", "10.96.0.10"));
            api.Apply(Slice("default", "web-1", "web", [new Ep("10.0.0.1"), new Ep("10.0.0.2")]));
        });
        var s = await h.WaitFor(s => s.DataPlane.Find("default", "web", "http")?.Endpoints.Count == 2, "v1 ready");
        Assert.Equal(new HashSet<string> { "10.0.0.1:8080", "10.0.0.2:8080" }, Picks(s));

        // v2 pod ready, a v1 pod terminating (still serving): only ready endpoints are picked.
        h.Api.Apply(Slice("default", "web-1", "web", [new Ep("10.0.0.1", Ready: false, Serving: true, Terminating: true), new Ep("10.0.0.2"), new Ep("10.0.0.3")]));
        s = await h.WaitFor(s => s.DataPlane.Find("default", "web", "http")?.Endpoints.Count == 3, "one terminating");
        Assert.Equal(new HashSet<string> { "10.0.0.2:8080", "10.0.0.3:8080" }, Picks(s));

        // The terminating pod is gone; the other v1 pod terminates.
        h.Api.Apply(Slice("default", "web-1", "web", [new Ep("10.0.0.2", Ready: false, Serving: true, Terminating: true), new Ep("10.0.0.3")]));
        s = await h.WaitFor(s => s.DataPlane.Find("default", "web", "http")?.Endpoints.Count == 2, "10.0.0.1 gone");
        Assert.Equal(new HashSet<string> { "10.0.0.3:8080" }, Picks(s));

        // No endpoint is ready (the new pod failed its probe): kube-proxy falls back to serving terminating endpoints,
        // never to terminating ones that stopped serving.
        h.Api.Apply(Slice("default", "web-1", "web", [new Ep("10.0.0.2", Ready: false, Serving: true, Terminating: true), new Ep("10.0.0.3", Ready: false),
            new Ep("10.0.0.4", Ready: false, Serving: false, Terminating: true)]));
        s = await h.WaitFor(s => s.DataPlane.Find("default", "web", "http")?.Endpoints.Count == 3, "no ready endpoint");
        Assert.Equal(new HashSet<string> { "10.0.0.2:8080" }, Picks(s));

        // Everything gone: kube-proxy rejects.
        h.Api.Apply(Slice("default", "web-1", "web", [new Ep("10.0.0.3", Ready: false)]));
        s = await h.WaitFor(s => s.DataPlane.Find("default", "web", "http")?.Endpoints.Count == 1, "only an unready endpoint");
        Assert.Empty(Picks(s));
        Assert.Equal(ProxyAction.Reject, s.DataPlane.Find("default", "web", "http")!.Decide().Action);
    }
}
