using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Server;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FastPath.Tests.Server;

/// <summary>Hostile TCP clients (Knot's tcp-max-clients, tcp-idle-timeout, tcp-io-timeout), with real sockets on loopback.</summary>
public sealed class TcpLimitTests : ServeHarness
{
    private static readonly Model.Cluster Cluster = TestClusters.Load(
        "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: default}\nspec: {clusterIP: 10.96.0.20, ports: [{port: 80}]}\n",
        ".:53 {\n  kubernetes cluster.local\n}\n");

    private static readonly byte[] Query = DnsWireWriter.Query(5, "web.default.svc.cluster.local", DnsType.A);

    private static string Answer(byte[] reply) => DnsWireReader.ReadMessage(reply)!.Answer.Single().Data.ToText();

    /// <summary>Asks on an open connection and waits until the server is back to waiting (its idle deadline set).</summary>
    private static string AskAndSettle(DnsServer server, Socket connection)
    {
        var answer = Answer(TcpAsk(connection, Query));
        Assert.True(SpinWait.SpinUntil(() => server.TcpConnections.Busy == 0, 5000), "the connection should return to idle");
        return answer;
    }

    private static Socket Connect(DnsServer server)
    {
        var s = new Socket(server.Bound.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        s.Connect(server.Bound);
        return s;
    }

    [Fact]
    public void A_started_message_must_arrive_within_the_io_timeout_and_an_idle_connection_within_the_idle_timeout()
    {
        var time = new FakeTimeProvider();
        var server = Start(Cluster, o => { o.Time = time; o.TcpIdleTimeout = TimeSpan.FromSeconds(10); o.TcpIoTimeout = TimeSpan.FromMilliseconds(500); });
        using var idle = Connect(server);
        using var dribbling = Connect(server);
        Assert.Equal("10.96.0.20", AskAndSettle(server, idle));
        Assert.Equal("10.96.0.20", AskAndSettle(server, dribbling));
        dribbling.Send([0]); // the first byte of the next message's length, and then nothing
        Assert.True(SpinWait.SpinUntil(() => server.TcpConnections.Busy == 1, 5000), "the server should see the started message");

        time.Advance(TimeSpan.FromMilliseconds(600));
        Assert.True(ClosedByServer(dribbling), "a message not finished within the I/O timeout closes its connection");
        Assert.Equal("10.96.0.20", AskAndSettle(server, idle)); // 600 ms idle is well inside 10 s

        time.Advance(TimeSpan.FromSeconds(10.5));
        Assert.True(ClosedByServer(idle), "ten seconds without a message closes the connection");
        Assert.Equal(2, server.TcpConnections.TimedOut);
        Assert.True(SpinWait.SpinUntil(() => server.TcpConnections.Held == 0, 5000));
    }

    [Fact]
    public void At_the_connection_limit_the_connection_nearest_its_deadline_makes_room_for_a_new_client()
    {
        var time = new FakeTimeProvider();
        var server = Start(Cluster, o => { o.Time = time; o.TcpMaxClients = 3; });
        var held = new List<Socket>();
        for (int i = 0; i < 3; i++)
        {
            held.Add(Connect(server));
            Assert.Equal("10.96.0.20", AskAndSettle(server, held[i]));
            time.Advance(TimeSpan.FromSeconds(1)); // so the first one has been idle longest
        }
        using var newcomer = Connect(server);
        byte[] reply;
        try { reply = TcpAsk(newcomer, Query); }
        catch (Xunit.Sdk.XunitException ex) { throw new Xunit.Sdk.XunitException($"{ex.Message}; server: {server.TcpConnections}"); }
        Assert.Equal("10.96.0.20", Answer(reply));
        Assert.True(ClosedByServer(held[0]), $"the longest-idle connection is closed for the newcomer ({server.TcpConnections})");
        Assert.Equal("10.96.0.20", Answer(TcpAsk(held[1], Query)));
        Assert.Equal("10.96.0.20", Answer(TcpAsk(held[2], Query)));
        Assert.Equal(1, server.TcpConnections.Evicted);
        Assert.Equal(3, server.TcpConnections.Held);
        foreach (var s in held) s.Dispose();
    }

    [Fact]
    public void Slowloris_connections_do_not_stop_udp_or_new_tcp_clients_from_being_answered()
    {
        var server = Start(Cluster, o => o.TcpMaxClients = 100);
        var attackers = new List<Socket>();
        try
        {
            for (int i = 0; i < 400; i++)
            {
                var s = Connect(server);
                s.Send([0]); // one byte of a length prefix: a message started and never finished
                attackers.Add(s);
            }
            Assert.Equal("10.96.0.20", Answer(Udp(server.Bound, Query)));
            Assert.Equal("10.96.0.20", Answer(Tcp(server.Bound, Query)));
            var (held, _, timedOut, evicted) = server.TcpConnections;
            Assert.True(held <= 100, $"{held} connections held");
            Assert.True(evicted + timedOut >= 300, $"{evicted} evicted, {timedOut} timed out");
        }
        finally
        {
            foreach (var s in attackers) s.Dispose();
        }
    }

    [Fact]
    public void A_zero_length_message_closes_the_connection_and_pipelined_messages_are_answered_in_order()
    {
        var server = Start(Cluster);
        using var pipelined = Connect(server);
        var second = DnsWireWriter.Query(6, "nope.default.svc.cluster.local", DnsType.A);
        pipelined.Send([(byte)(Query.Length >> 8), (byte)Query.Length, .. Query, (byte)(second.Length >> 8), (byte)second.Length, .. second]);
        var first = ReceiveExactly(pipelined, 2);
        Assert.Equal(5, DnsWireReader.ReadMessage(ReceiveExactly(pipelined, first[0] << 8 | first[1]))!.Id);
        var next = ReceiveExactly(pipelined, 2);
        Assert.Equal(Rcode.NXDomain, DnsWireReader.ReadMessage(ReceiveExactly(pipelined, next[0] << 8 | next[1]))!.Rcode);

        using var zero = Connect(server);
        zero.Send([0, 0]);
        Assert.True(ClosedByServer(zero));
    }
}
