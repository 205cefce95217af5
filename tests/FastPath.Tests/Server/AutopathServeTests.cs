using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Server;
using Xunit;

namespace FastPath.Tests.Server;

/// <summary>
/// autopath needs the client's address to find its pod (coredns plugin/autopath reads the request's source IP): the
/// server hands each datagram's and each connection's source address to the engine, for every engine.
/// </summary>
public sealed class AutopathServeTests : ServeHarness
{
    // A pod in "default" at 127.0.0.2 (a loopback address a test socket can send from), a Service in "shop".
    private const string Manifests = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: default}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: cart, namespace: shop}
        spec: {clusterIP: 10.96.0.30, ports: [{port: 80}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: client, namespace: default}
        spec: {containers: [{name: c, image: busybox}]}
        status: {phase: Running, podIP: 127.0.0.2, podIPs: [{ip: 127.0.0.2}]}
        """;

    private const string Corefile = ".:53 {\n  autopath @kubernetes\n  kubernetes cluster.local {\n    pods verified\n  }\n}\n";

    // The name the pod's resolver sends first for "cart.shop": its first search domain appended.
    private static byte[] Query => DnsWireWriter.Query(7, "cart.shop.default.svc.cluster.local", DnsType.A);

    [Theory]
    [InlineData(DnsEngineKind.Snapshot)]
    [InlineData(DnsEngineKind.Reference)]
    public void A_pod_client_over_udp_gets_autopaths_cname_and_an_unknown_client_gets_nxdomain(DnsEngineKind engine)
    {
        var server = Start(TestClusters.Load(Manifests, Corefile), o => o.Engine = engine);

        var fromPod = DnsWireReader.ReadMessage(UdpFrom(IPAddress.Parse("127.0.0.2"), server.Bound, Query))!;
        Assert.Equal(Rcode.NoError, fromPod.Rcode);
        Assert.Equal(
            ["cart.shop.default.svc.cluster.local.\tCNAME\tcart.shop.svc.cluster.local.", "cart.shop.svc.cluster.local.\tA\t10.96.0.30"],
            fromPod.Answer.Select(r => r.ToString().Split('\t')).Select(f => $"{f[0]}\t{f[3]}\t{f[4]}"));

        var fromElsewhere = DnsWireReader.ReadMessage(UdpFrom(IPAddress.Loopback, server.Bound, Query))!;
        Assert.Equal(Rcode.NXDomain, fromElsewhere.Rcode);
    }

    [Fact]
    public void A_pod_client_over_tcp_gets_autopaths_cname()
    {
        var server = Start(TestClusters.Load(Manifests, Corefile));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        socket.Connect(server.Bound);
        var reply = DnsWireReader.ReadMessage(TcpAsk(socket, Query))!;
        Assert.Equal(Rcode.NoError, reply.Rcode);
        Assert.Equal([DnsType.CNAME, DnsType.A], reply.Answer.Select(r => r.Type));
    }

    [Theory]
    [InlineData(new byte[] { 2, 0, 0, 53, 10, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0 }, "10.1.2.3")]
    [InlineData(new byte[] { 10, 0, 0, 53, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 10, 1, 2, 4, 0, 0, 0, 0 }, "10.1.2.4")]
    [InlineData(new byte[] { 10, 0, 0, 53, 0, 0, 0, 0, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0 }, "fd00::5")]
    [InlineData(new byte[] { 1, 0 }, "")]
    // Linux's layout (AF_INET = 2, AF_INET6 = 10), where FastPath serves.
    public void A_native_sockaddr_is_read_as_the_address_autopath_matches_against_pod_ips(byte[] sockaddr, string expected)
    {
        var bytes = ClientAddress.FromSockaddr(sockaddr).ToArray();
        Assert.Equal(expected, bytes.Length == 0 ? "" : new IPAddress(bytes).ToString());
    }

    private static byte[] UdpFrom(IPAddress from, IPEndPoint at, byte[] query)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 5000 };
        s.Bind(new IPEndPoint(from, 0));
        s.SendTo(query, at);
        var buf = new byte[65535];
        return buf.AsSpan(0, s.Receive(buf)).ToArray();
    }
}
