using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using FastPath.Live;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static FastPath.Http.Tests.CartCluster;

namespace FastPath.Http.Tests;

/// <summary>Real Kestrel backends, real HttpClient: connections go where kube-proxy would send them.</summary>
public sealed class HandlerTests : IAsyncLifetime
{
    private Backend _a = null!, _b = null!, _c = null!;

    public async Task InitializeAsync()
    {
        var started = await Task.WhenAll(Backend.StartAsync("a"), Backend.StartAsync("b"), Backend.StartAsync("c"));
        (_a, _b, _c) = (started[0], started[1], started[2]);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync(); await _b.DisposeAsync(); await _c.DisposeAsync();
    }

    private static HttpClient Client(IClusterSnapshotSource source, FastPathHttpOptions? options = null) =>
        new(FastPathHttpHandler.Create(source, options ?? new FastPathHttpOptions { ClientAddress = IPAddress.Parse("10.244.1.7") }));

    /// <summary>One request on a connection of its own (Connection: close), so each is a new kube-proxy decision.</summary>
    private static async Task<string> GetOnNewConnection(HttpClient client, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.ConnectionClose = true;
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<List<string>> Names(HttpClient client, string url, int count)
    {
        var names = new List<string>();
        for (int i = 0; i < count; i++) names.Add((await GetOnNewConnection(client, url)).Split(' ')[0]);
        return names;
    }

    [Fact]
    public async Task Only_ready_endpoints_receive_connections_and_round_robin_spreads_them_evenly()
    {
        var snapshots = new Snapshots();
        snapshots.Publish(Yaml([new(_a), new(_b, Ready: false, Serving: false), new(_c)]));
        using var client = Client(snapshots.Source);
        var names = await Names(client, "http://cart.shop", 12);
        Assert.Equal(["a", "c"], names.Distinct().Order());
        Assert.Equal(6, names.Count(n => n == "a"));
        Assert.Equal(6, names.Count(n => n == "c"));
    }

    [Fact]
    public async Task Every_name_form_and_a_named_port_reach_the_service()
    {
        var snapshots = new Snapshots();
        snapshots.Publish(Yaml([new(_a)]));
        using var client = Client(snapshots.Source);
        Assert.Equal("a HTTP/1.1", await GetOnNewConnection(client, "http://cart.shop"));
        Assert.Equal("a HTTP/1.1", await GetOnNewConnection(client, "http://cart.shop.svc.cluster.local/"));
        Assert.Equal("a HTTP/1.1", await GetOnNewConnection(client, "http://cart.shop.svc:80/"));
        Assert.Equal("a HTTP/1.1", await GetOnNewConnection(client, "http://10.96.5.5/"));
        using var inShop = Client(snapshots.Source, new FastPathHttpOptions { Namespace = "shop" });
        Assert.Equal("a HTTP/1.1", await GetOnNewConnection(inShop, "http://cart"));
        using var h2 = new HttpRequestMessage(HttpMethod.Get, "http://_h2c.cart.shop/") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await client.SendAsync(h2);
        Assert.Equal("a HTTP/2", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Http2_requests_share_their_connections_backend_and_new_connections_rotate()
    {
        var snapshots = new Snapshots();
        snapshots.Publish(Yaml([new(_a), new(_b), new(_c)]));
        var seen = new List<string>();
        for (int c = 0; c < 3; c++)
        {
            using var client = Client(snapshots.Source);
            client.DefaultRequestVersion = HttpVersion.Version20;
            client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
            var replies = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.GetStringAsync("http://cart.shop:81/")));
            // Four requests, one HTTP/2 connection: one kube-proxy decision.
            Assert.Single(replies.Distinct());
            Assert.EndsWith(" HTTP/2", replies[0]);
            seen.Add(replies[0].Split(' ')[0]);
        }
        Assert.Equal(["a", "b", "c"], seen.Order());
    }

    [Fact]
    public async Task ClientIP_affinity_holds_until_the_timeout_and_then_the_scheduler_picks_again()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var snapshots = new Snapshots { Time = time };
        const string affinity = "  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}\n";
        snapshots.Publish(Yaml([new(_a), new(_b), new(_c)], affinity));
        using var client = Client(snapshots.Source);
        using var other = Client(snapshots.Source, new FastPathHttpOptions { ClientAddress = IPAddress.Parse("10.244.2.9") });

        var first = await Names(client, "http://cart.shop", 5);
        Assert.Single(first.Distinct());
        var otherFirst = (await Names(other, "http://cart.shop", 1))[0];
        Assert.NotEqual(first[0], otherFirst); // another client is scheduled on its own: round robin moved on

        time.Advance(TimeSpan.FromSeconds(59)); // each new connection re-arms the template to the full timeout
        Assert.Equal(first[0], (await Names(client, "http://cart.shop", 1))[0]);
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(first[0], (await Names(client, "http://cart.shop", 1))[0]);
        time.Advance(TimeSpan.FromSeconds(61));
        var after = await Names(client, "http://cart.shop", 3);
        Assert.Single(after.Distinct());
        Assert.NotEqual(first[0], after[0]);
    }

    [Fact]
    public async Task ClientIP_affinity_moves_when_its_backend_goes_away()
    {
        var time = new FakeTimeProvider();
        var snapshots = new Snapshots { Time = time };
        const string affinity = "  sessionAffinity: ClientIP\n";
        var all = new[] { new Member(_a), new Member(_b), new Member(_c) };
        snapshots.Publish(Yaml(all, affinity));
        using var client = Client(snapshots.Source);
        var sticky = (await Names(client, "http://cart.shop", 3)).Distinct().Single();
        snapshots.Publish(Yaml(all.Where(m => m.Backend.Name != sticky), affinity));
        var moved = await Names(client, "http://cart.shop", 3);
        Assert.Single(moved.Distinct());
        Assert.NotEqual(sticky, moved[0]);
    }

    [Fact]
    public async Task Snapshot_changes_mid_run_are_honoured_by_the_next_connection_without_a_failed_request()
    {
        var snapshots = new Snapshots();
        using var client = Client(snapshots.Source);
        const string url = "http://cart.shop";
        snapshots.Publish(Yaml([new(_a), new(_b)]));
        Assert.Equal(["a", "b"], (await Names(client, url, 4)).Distinct().Order());

        snapshots.Publish(Yaml([new(_a), new(_b, Ready: false, Serving: false)]));                     // b not ready
        Assert.Equal(["a"], (await Names(client, url, 4)).Distinct());
        snapshots.Publish(Yaml([new(_a), new(_b, Ready: false, Serving: true, Terminating: true)]));   // b terminating
        Assert.Equal(["a"], (await Names(client, url, 4)).Distinct());
        snapshots.Publish(Yaml([new(_a)]));                                                              // b gone
        Assert.Equal(["a"], (await Names(client, url, 4)).Distinct());
        snapshots.Publish(Yaml([new(_a), new(_c)]));                                                     // c appears
        Assert.Equal(["a", "c"], (await Names(client, url, 4)).Distinct().Order());
        // No ready endpoint left: kube-proxy falls back to the serving-terminating one.
        snapshots.Publish(Yaml([new(_a, Ready: false, Serving: false), new(_c, Ready: false, Serving: true, Terminating: true)]));
        Assert.Equal(["c"], (await Names(client, url, 3)).Distinct());
    }

    [Fact]
    public async Task Requests_keep_succeeding_while_snapshots_change_underneath()
    {
        var snapshots = new Snapshots();
        using var client = Client(snapshots.Source);
        snapshots.Publish(Yaml([new(_a), new(_b)]));
        var stop = new TaskCompletionSource();
        using var done = new System.Threading.SemaphoreSlim(0);
        var load = Task.Run(async () =>
        {
            var names = new List<string>();
            while (!stop.Task.IsCompleted)
            {
                names.Add((await GetOnNewConnection(client, "http://cart.shop")).Split(' ')[0]);
                done.Release();
            }
            return names;
        });
        // a stays ready throughout; b and c come and go.
        string[][] states = [["a"], ["a", "c"], ["a", "b", "c"], ["a", "b"], ["a"]];
        foreach (var state in states)
        {
            snapshots.Publish(Yaml(state.Select(n => new Member(n == "a" ? _a : n == "b" ? _b : _c))));
            // Let a few connections run on this state before the next change.
            for (int i = 0; i < 3; i++) Assert.True(await done.WaitAsync(TimeSpan.FromSeconds(10)));
        }
        snapshots.Publish(Yaml([new(_a)]));
        var last = await Names(client, "http://cart.shop", 2);
        stop.SetResult();
        var served = await load.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotEmpty(served);
        Assert.Equal(["a"], last.Distinct());
    }
}
