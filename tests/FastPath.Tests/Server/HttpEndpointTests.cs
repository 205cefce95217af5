using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FastPath.Server;
using Xunit;

namespace FastPath.Tests.Server;

/// <summary>health, ready and prometheus: bound where the Corefile says, answering only their path and methods, bounded.</summary>
public sealed class HttpEndpointTests : ServeHarness
{
    [Theory]
    [InlineData(":8080", "::", 8080)] // every interface, as Go's net.Listen(":8080") (kubelet probes reach the pod IP)
    [InlineData("localhost:9153", "127.0.0.1", 9153)]
    [InlineData("127.0.0.1:8181", "127.0.0.1", 8181)]
    [InlineData("[::1]:8080", "::1", 8080)]
    [InlineData("0.0.0.0:8080", "0.0.0.0", 8080)]
    public void A_plugin_address_binds_what_coredns_would(string address, string ip, int port)
    {
        Assert.Equal(new IPEndPoint(IPAddress.Parse(ip), port), HttpEndpoint.Parse(address));
    }

    [Theory]
    [InlineData("8080")]
    [InlineData("example.com:8080")]
    [InlineData("127.0.0.1:99999")]
    public void A_bad_plugin_address_is_refused_with_its_text(string address)
    {
        var ex = Assert.Throws<FormatException>(() => HttpEndpoint.Parse(address));
        Assert.Contains(address, ex.Message);
    }

    private DnsServer StartWithEndpoints(Action<DnsServerOptions>? configure = null)
    {
        var cluster = TestClusters.Load("apiVersion: v1\nkind: Namespace\nmetadata: {name: default}\n",
            ".:53 {\n  kubernetes cluster.local\n  health 127.0.0.1:0\n  ready [::1]:0\n  prometheus localhost:0\n}\n");
        return Start(cluster, configure);
    }

    [Fact]
    public void Each_endpoint_answers_get_and_head_of_its_path_only()
    {
        var server = StartWithEndpoints();
        var health = server.HttpEndPoints["/health"];
        Assert.Equal(IPAddress.Loopback, health.Address);
        Assert.Equal(IPAddress.IPv6Loopback, server.HttpEndPoints["/ready"].Address);
        Assert.Equal(IPAddress.Loopback, server.HttpEndPoints["/metrics"].Address);

        var ok = Http(health, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(200, ok.Status);
        Assert.EndsWith("\r\n\r\nOK", ok.Text);
        var head = Http(health, "HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(200, head.Status);
        Assert.EndsWith("\r\n\r\n", head.Text); // headers only
        var post = Http(health, "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        Assert.Equal(405, post.Status);
        Assert.Contains("Allow: GET, HEAD", post.Text);
        Assert.Equal(404, Http(health, "GET /ready HTTP/1.1\r\nHost: x\r\n\r\n").Status);
        Assert.Equal(404, Http(health, "GET /healthz HTTP/1.1\r\n\r\n").Status);
        Assert.Equal(400, Http(health, "NONSENSE\r\n\r\n").Status);
        Assert.Equal(200, Http(server.HttpEndPoints["/ready"], "GET /ready HTTP/1.1\r\n\r\n").Status);

        Udp(server.Bound, FastPath.Dns.Wire.DnsWireWriter.Query(1, "x.default.svc.cluster.local", FastPath.Dns.DnsType.A));
        var metrics = Http(server.HttpEndPoints["/metrics"], "GET /metrics?x=1 HTTP/1.1\r\n\r\n");
        Assert.Equal(200, metrics.Status);
        Assert.Contains("rcode=\"NXDOMAIN\",plugin=\"\"} 1\n", metrics.Text);
    }

    [Fact]
    public void A_request_larger_than_the_limit_gets_431_and_a_silent_client_is_closed_after_the_timeout()
    {
        var server = StartWithEndpoints(o => { o.HttpMaxRequestBytes = 256; o.HttpRequestTimeout = TimeSpan.FromMilliseconds(200); });
        var health = server.HttpEndPoints["/health"];
        var big = Http(health, "GET /health HTTP/1.1\r\nX-Filler: " + new string('a', 400) + "\r\n\r\n");
        Assert.Equal(431, big.Status);

        using var slow = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        slow.Connect(health);
        slow.Send(Encoding.ASCII.GetBytes("GET /health HTTP/1.1\r\n")); // and never the blank line
        Assert.True(ClosedByServer(slow), "the half-sent request should be dropped after the request timeout");
        Assert.Equal(200, Http(health, "GET /health HTTP/1.1\r\n\r\n").Status);
    }
}
