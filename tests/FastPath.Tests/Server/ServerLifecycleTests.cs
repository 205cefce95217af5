using System;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Live;
using FastPath.Server;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FastPath.Tests.Server;

/// <summary>Reload under load and shutdown as CoreDNS does it: lameduck, stop accepting, drain, exit.</summary>
public sealed class ServerLifecycleTests : ServeHarness
{
    private static Model.Cluster Cluster(string ip, string corefile = ".:53 {\n  kubernetes cluster.local\n}\n") => TestClusters.Load(
        $"apiVersion: v1\nkind: Service\nmetadata: {{name: web, namespace: default}}\nspec: {{clusterIP: {ip}, ports: [{{port: 80}}]}}\n", corefile);

    private static readonly byte[] Query = DnsWireWriter.Query(5, "web.default.svc.cluster.local", DnsType.A);

    [Fact]
    public async Task Snapshots_published_during_load_lose_no_query_and_each_answer_is_one_snapshot_or_the_other()
    {
        var a = ClusterSnapshot.Build(Cluster("10.96.0.20"));
        var b = ClusterSnapshot.Build(Cluster("10.96.0.21"), version: 2);
        var publisher = new SnapshotPublisher(a);
        var server = Start(publisher, o => o.Plugins = null);
        int swaps = 0;
        int[] seen = new int[2];
        // Four clients ask at once; the first also publishes a new snapshot every 25 of its queries, so the swaps
        // land while the other three are mid-query.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Factory.StartNew(() =>
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 5000 };
            var buf = new byte[512];
            for (int i = 0; i < 500; i++)
            {
                if (t == 0 && i % 25 == 0) publisher.Publish(++swaps % 2 == 0 ? a : b, SnapshotChange.Everything);
                var q = DnsWireWriter.Query((ushort)(t * 1000 + i), "web.default.svc.cluster.local", DnsType.A);
                s.SendTo(q, server.Bound);
                int n = s.Receive(buf); // a lost query times out and fails the test
                var m = DnsWireReader.ReadMessage(buf.AsSpan(0, n).ToArray())!;
                Assert.Equal((ushort)(t * 1000 + i), m.Id);
                var ip = m.Answer.Single().Data.ToText();
                Assert.Contains(ip, new[] { "10.96.0.20", "10.96.0.21" });
                Interlocked.Increment(ref seen[ip == "10.96.0.20" ? 0 : 1]);
            }
        }, TaskCreationOptions.LongRunning)));
        Assert.Equal(2000, seen[0] + seen[1]);
        Assert.Equal(20, swaps);
        Assert.True(seen[0] > 0 && seen[1] > 0, $"answers from both snapshots: {seen[0]} and {seen[1]}");
    }

    [Fact]
    public async Task Stop_keeps_answering_through_the_lameduck_with_ready_503_then_closes()
    {
        var time = new FakeTimeProvider();
        var cluster = Cluster("10.96.0.20", ".:53 {\n  kubernetes cluster.local\n  health 127.0.0.1:0 {\n    lameduck 5s\n  }\n  ready 127.0.0.1:0\n}\n");
        var server = Start(cluster, o => o.Time = time);
        var ready = server.HttpEndPoints["/ready"];
        var health = server.HttpEndPoints["/health"];
        Assert.Equal(200, Http(ready, "GET /ready HTTP/1.1\r\n\r\n").Status);

        var stopping = server.StopAsync();
        Assert.False(stopping.IsCompleted);
        Assert.Equal("10.96.0.20", DnsWireReader.ReadMessage(Udp(server.Bound, Query))!.Answer.Single().Data.ToText());
        Assert.Equal("10.96.0.20", DnsWireReader.ReadMessage(Tcp(server.Bound, Query))!.Answer.Single().Data.ToText());
        Assert.Equal(503, Http(ready, "GET /ready HTTP/1.1\r\n\r\n").Status);
        Assert.Equal(200, Http(health, "GET /health HTTP/1.1\r\n\r\n").Status);

        time.Advance(TimeSpan.FromSeconds(5));
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(server.Stopped.IsCompleted);
        Assert.ThrowsAny<SocketException>(() => Udp(server.Bound, Query, timeoutMs: 300));
        Assert.ThrowsAny<SocketException>(() => Tcp(server.Bound, Query));
    }

    [Fact]
    public async Task Stop_finishes_the_tcp_message_in_hand_before_closing()
    {
        var server = Start(Cluster("10.96.0.20"), o => { o.Plugins = null; o.TcpIoTimeout = TimeSpan.FromSeconds(5); }); // a loaded machine may be slow to send the rest
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(server.Bound);
        byte[] framed = [(byte)(Query.Length >> 8), (byte)Query.Length, .. Query];
        client.Send(framed.AsSpan(0, 6));
        Assert.True(SpinWait.SpinUntil(() => server.TcpConnections.Busy == 1, 5000));

        var stopping = server.StopAsync();
        client.Send(framed.AsSpan(6));
        var len = ReceiveExactly(client, 2);
        var reply = DnsWireReader.ReadMessage(ReceiveExactly(client, len[0] << 8 | len[1]))!;
        Assert.Equal("10.96.0.20", reply.Answer.Single().Data.ToText());
        Assert.True(ClosedByServer(client), "after the answer the draining server closes the connection");
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
