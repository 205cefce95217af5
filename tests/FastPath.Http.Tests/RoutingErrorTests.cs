using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using FastPath.Live;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static FastPath.Http.Tests.CartCluster;

namespace FastPath.Http.Tests;

/// <summary>Names FastPath cannot route fail with a typed reason, and never fall back to DNS unless told to.</summary>
public sealed class RoutingErrorTests : IAsyncLifetime
{
    private Backend _a = null!;

    public async Task InitializeAsync() => _a = await Backend.StartAsync("a");
    public async Task DisposeAsync() => await _a.DisposeAsync();

    private static async Task<FastPathRoutingException> Failure(HttpClient client, string url)
    {
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync(url));
        Assert.Equal(HttpRequestError.ConnectionError, ex.HttpRequestError);
        return Assert.IsType<FastPathRoutingException>(ex.InnerException);
    }

    [Fact]
    public async Task Unknown_service_is_an_error_not_a_dns_lookup()
    {
        var snapshots = new Snapshots();
        snapshots.Publish(Yaml([new(_a)]));
        using var client = new HttpClient(FastPathHttpHandler.Create(snapshots.Source));
        var e = await Failure(client, "http://basket.shop");
        Assert.Equal(FastPathRoutingFailure.UnknownService, e.Failure);
        Assert.Equal("basket.shop:80", e.Target);
        Assert.Contains("Service shop/basket does not exist in the cluster snapshot (version 1)", e.Message);
        Assert.Equal(FastPathRoutingFailure.UnknownService, (await Failure(client, $"http://localhost:{_a.Http1Port}/")).Failure);
    }

    [Fact]
    public async Task Dns_fallback_when_configured_connects_names_outside_the_cluster()
    {
        var snapshots = new Snapshots();
        snapshots.Publish(Yaml([new(_a)]));
        using var client = new HttpClient(FastPathHttpHandler.Create(snapshots.Source, new FastPathHttpOptions { FallbackToDns = true }));
        Assert.Equal("a HTTP/1.1", await client.GetStringAsync($"http://localhost:{_a.Http1Port}/"));
    }

    [Fact]
    public async Task Unknown_port_names_the_ports_that_exist()
    {
        var snapshots = new Snapshots();
        snapshots.Publish(Yaml([new(_a)]));
        using var client = new HttpClient(FastPathHttpHandler.Create(snapshots.Source));
        var e = await Failure(client, "http://_grpc.cart.shop/");
        Assert.Equal(FastPathRoutingFailure.UnknownPort, e.Failure);
        Assert.Contains("Service shop/cart has no port named grpc; its ports are http (80), h2c (81)", e.Message);
        Assert.Equal(FastPathRoutingFailure.UnknownPort, (await Failure(client, "http://cart.shop:8080/")).Failure);
    }

    [Fact]
    public async Task Service_without_eligible_endpoints_is_no_endpoints_with_kube_proxys_reason()
    {
        var snapshots = new Snapshots();
        snapshots.Publish(Yaml([new(_a, Ready: false, Serving: false)]));
        using var client = new HttpClient(FastPathHttpHandler.Create(snapshots.Source));
        var e = await Failure(client, "http://cart.shop");
        Assert.Equal(FastPathRoutingFailure.NoEndpoints, e.Failure);
        Assert.Contains("Service shop/cart port 80 has no endpoint this connection may use", e.Message);
        Assert.Contains("(kube-proxy: reject)", e.Message);
    }

    [Fact]
    public async Task Local_internal_traffic_policy_without_a_local_endpoint_is_dropped()
    {
        var snapshots = new Snapshots();
        var yaml = Yaml([new(_a, Node: "node-b")]).Replace("  clusterIP: 10.96.5.5\n", "  clusterIP: 10.96.5.5\n  internalTrafficPolicy: Local\n");
        snapshots.Publish(yaml);
        using var onA = new HttpClient(FastPathHttpHandler.Create(snapshots.Source, new FastPathHttpOptions { NodeName = "node-a" }));
        Assert.Equal(FastPathRoutingFailure.NoLocalEndpoints, (await Failure(onA, "http://cart.shop")).Failure);
        using var onB = new HttpClient(FastPathHttpHandler.Create(snapshots.Source, new FastPathHttpOptions { NodeName = "node-b" }));
        Assert.Equal("a HTTP/1.1", await onB.GetStringAsync("http://cart.shop"));
    }

    [Fact]
    public async Task Headless_service_is_not_proxied()
    {
        var snapshots = new Snapshots();
        snapshots.Publish(Yaml([new(_a)]).Replace("clusterIP: 10.96.5.5", "clusterIP: None"));
        using var client = new HttpClient(FastPathHttpHandler.Create(snapshots.Source));
        var e = await Failure(client, "http://cart.shop");
        Assert.Equal(FastPathRoutingFailure.NotProxied, e.Failure);
    }

    [Fact]
    public async Task Connection_waits_for_the_first_snapshot_and_fails_as_not_synced_after_the_timeout()
    {
        var time = new FakeTimeProvider();
        var source = new SnapshotPublisher();
        using var client = new HttpClient(FastPathHttpHandler.Create(source, new FastPathHttpOptions { SyncTimeout = TimeSpan.FromSeconds(5) }, time: time));
        var pending = client.GetStringAsync("http://cart.shop");
        Assert.False(pending.IsCompleted);
        // The connect callback starts its timer on a pool thread: move the clock until the wait has seen it expire.
        for (int i = 0; i < 500 && !pending.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(6));
            await Task.WhenAny(pending, Task.Delay(10));
        }
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => pending.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(FastPathRoutingFailure.NotSynced, Assert.IsType<FastPathRoutingException>(ex.InnerException).Failure);

        var snapshots = new Snapshots();
        using var late = new HttpClient(FastPathHttpHandler.Create(snapshots.Source, time: time));
        var waiting = late.GetStringAsync("http://cart.shop");
        snapshots.Publish(Yaml([new(_a)]));
        Assert.Equal("a HTTP/1.1", await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
