using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using FastPath.Server;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Model.Corefile.Plugins;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FastPath.Tests.Server;

/// <summary>The serving plugins around forward: cache (hit, TTL counting down, expiry) and loop detection.</summary>
public sealed class ServePluginTests : ServeHarness
{
    private DnsServer Upstream(string ttlLine)
    {
        var cluster = TestClusters.Load("apiVersion: v1\nkind: Service\nmetadata: {name: www, namespace: web}\nspec: {clusterIP: 10.77.0.1, ports: [{port: 80}]}\n",
            $"example.test:53 {{\n  kubernetes example.test {{\n    {ttlLine}\n  }}\n}}\n");
        return Start(cluster);
    }

    [Fact]
    public void Forwarded_answers_are_cached_with_ttls_counting_down_until_they_expire()
    {
        var upstream = Upstream("ttl 60");
        var time = new FakeTimeProvider();
        var cluster = TestClusters.Load("apiVersion: v1\nkind: Namespace\nmetadata: {name: default}\n", $".:53 {{\n  kubernetes cluster.local\n  forward . 127.0.0.1:{upstream.Bound.Port}\n  cache\n}}\n");
        var server = Start(cluster, o => o.Time = time);
        var q = DnsWireWriter.Query(1, "www.web.svc.example.test", DnsType.A);
        Assert.Equal(60u, DnsWireReader.ReadMessage(Udp(server.Bound, q))!.Answer.Single().Ttl);
        // Twenty seconds later the answer comes from the cache: the upstream would say 60 again.
        time.Advance(TimeSpan.FromSeconds(20));
        var cached = DnsWireReader.ReadMessage(Udp(server.Bound, DnsWireWriter.Query(2, "WWW.web.svc.example.test", DnsType.A)))!;
        Assert.Equal(2, cached.Id);
        Assert.Equal(40u, cached.Answer.Single().Ttl);
        Assert.True(cached.Authoritative);
        time.Advance(TimeSpan.FromSeconds(41));
        Assert.Null(server.Handler.Cache!.Get(q)); // expired
    }

    [Fact]
    public async Task A_forwarding_loop_is_detected_and_reported()
    {
        // Forward to ourselves: the probe comes back round until the detector gives up.
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)) { probe.Bind(new IPEndPoint(IPAddress.Loopback, 0)); port = ((IPEndPoint)probe.LocalEndPoint!).Port; }
        var cluster = TestClusters.Load("apiVersion: v1\nkind: Namespace\nmetadata: {name: default}\n", $".:53 {{\n  kubernetes cluster.local\n  forward . 127.0.0.1:{port}\n  loop\n}}\n");
        var detected = new TaskCompletionSource<string>();
        var server = Start(cluster, o => { o.Endpoints[0] = new IPEndPoint(IPAddress.Loopback, port); o.OnLoop = m => detected.TrySetResult(m); });
        var message = await detected.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.StartsWith("[FATAL] plugin/loop: Loop", message);
        Assert.Contains("HINFO " + server.Handler.Loop!.Probe, message);
    }

    [Fact]
    public async Task No_loop_with_a_working_upstream_disables_the_detector()
    {
        var upstream = Upstream("ttl 5");
        var cluster = TestClusters.Load("apiVersion: v1\nkind: Namespace\nmetadata: {name: default}\n", $".:53 {{\n  kubernetes cluster.local\n  forward . 127.0.0.1:{upstream.Bound.Port}\n  loop\n}}\n");
        bool looped = false;
        var server = Start(cluster, o => o.OnLoop = _ => looped = true);
        await server.ProbeForLoop(CancellationToken.None);
        Assert.True(server.Handler.Loop!.Disabled);
        Assert.False(looped);
    }
}
