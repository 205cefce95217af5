using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using FastPath.Server;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Model.Loading;
using FastPath.Reference.Dns;
using FastPath.Tests.Compiled;
using Xunit;

namespace FastPath.Tests.Server;

/// <summary>The DNS server on loopback, asked by real clients: FastPath's wire client, dig, and a second server upstream.</summary>
public sealed class ServeTests : ServeHarness
{
    private static readonly Model.Cluster Demo = ClusterLoader.LoadPaths([TestClusters.DemoPath]).Cluster!;

    /// <summary>The demo's names with plain plugins: the demo Corefile's health and metrics would bind every interface.</summary>
    private DnsServer StartPlain(Model.Cluster cluster, UdpTransport transport = UdpTransport.Auto) =>
        Start(cluster, o => { o.Plugins = null; o.UdpTransport = transport; });

    [Theory]
    [InlineData("my-service.default.svc.cluster.local", DnsType.A)]
    [InlineData("MY-DB.default.svc.cluster.local", DnsType.A)]
    [InlineData("kafka.default.svc.cluster.local", DnsType.SRV)]
    [InlineData("_http._tcp.my-service.default.svc.cluster.local", DnsType.SRV)]
    [InlineData("my-external-service.default.svc.cluster.local", DnsType.CNAME)]
    [InlineData("nope.default.svc.cluster.local", DnsType.A)]
    [InlineData("1.200.100.10.in-addr.arpa", DnsType.PTR)]
    [InlineData("cluster.local", DnsType.SOA)]
    public void Udp_and_tcp_answer_as_the_reference_with_the_id_and_the_question_echoed(string name, DnsType type)
    {
        foreach (var transport in new[] { UdpTransport.Batched, UdpTransport.Portable })
            AnswersAsTheReference(StartPlain(Demo, transport), name, type);
    }

    private static void AnswersAsTheReference(DnsServer server, string name, DnsType type)
    {
        var reference = new ReferenceResolver(Demo); // asked as often as the server, so loadbalance rotates alike
        foreach (var transport in new Func<IPEndPoint, byte[], byte[]>[] { (at, q) => Udp(at, q), Tcp })
        {
            var want = CompiledClusters.Describe(reference.Resolve(new DnsQuery(name, type, Id: 0x4242)));
            var reply = transport(server.Bound, DnsWireWriter.Query(0x4242, name, type));
            var m = DnsWireReader.ReadMessage(reply)!;
            Assert.Equal(0x4242, m.Id);
            Assert.Equal(DnsNaming.Fqdn(name), m.Question.Name);
            Assert.Equal(want, CompiledClusters.Describe(new DnsResult(m, DnsOutcome.Answered, [])));
        }
    }

    [Fact]
    public void Edns0_is_answered_with_an_opt_record_and_a_big_answer_is_truncated_over_udp_but_whole_over_tcp()
    {
        var yaml = "apiVersion: v1\nkind: Service\nmetadata: {name: big}\nspec: {clusterIP: None, ports: [{name: p, port: 80}]}\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: big, labels: {kubernetes.io/service-name: big}}\naddressType: IPv4\nports: [{name: p, port: 80, protocol: TCP}]\nendpoints:\n"
            + string.Concat(Enumerable.Range(1, 60).Select(i => $"- {{addresses: [10.9.0.{i}], conditions: {{ready: true}}}}\n"));
        var cluster = TestClusters.Load(yaml, ".:53 {\n  kubernetes cluster.local\n}\n");
        var server = StartPlain(cluster);
        var query = DnsWireWriter.Query(7, "big.default.svc.cluster.local", DnsType.A);
        var udp = Udp(server.Bound, query);
        Assert.True((udp[2] & 0x02) != 0, "TC expected over UDP without EDNS0");
        Assert.Equal(0, udp[7]); // no answers in a truncated reply
        var tcp = DnsWireReader.ReadMessage(Tcp(server.Bound, query))!;
        Assert.Equal(60, tcp.Answer.Count);
        var withOpt = query.Concat(new byte[] { 0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0 }).ToArray();
        withOpt[11] = 1;
        var edns = Udp(server.Bound, withOpt);
        Assert.Equal(0, edns[2] & 0x02); // 4096 bytes fit 60 records
        Assert.Equal(60, DnsWireReader.ReadMessage(edns)!.Answer.Count);
    }

    [Fact]
    public void Malformed_packets_get_formerr_or_are_dropped_and_the_server_keeps_serving()
    {
        var server = StartPlain(Demo);
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 1000 };
        var rnd = new Random(42);
        var garbage = Enumerable.Range(0, 200).Select(i => { var b = new byte[rnd.Next(0, 60)]; rnd.NextBytes(b); if (b.Length > 2) b[2] &= 0x7F; return b; }).ToList();
        garbage.Add([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0xC0, 0x0C, 0, 1, 0, 1]); // a pointer loop as the question
        garbage.Add([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0x3F]); // a label running off the end
        garbage.Add([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, .. Enumerable.Repeat((byte)0x3F, 5).SelectMany(l => new byte[64].Select((_, i) => i == 0 ? l : (byte)'a')), 0, 0, 1, 0, 1]); // over-long name
        int formerr = 0, dropped = 0, other = 0;
        foreach (var g in garbage)
        {
            s.SendTo(g, server.Bound);
            try
            {
                var buf = new byte[512];
                int n = s.Receive(buf);
                if (n >= 4 && (buf[3] & 0xF) == (int)Rcode.FormErr) formerr++; else other++;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.TimedOut) { dropped++; } // no answer is an answer to garbage
        }
        // Every packet got FORMERR or nothing; random bytes that happen to form a question may get a real answer.
        Assert.True(formerr >= 3, $"{formerr} FORMERR replies");
        Assert.Equal(garbage.Count, formerr + dropped + other);
        var notimp = DnsWireWriter.Query(9, "my-service.default.svc.cluster.local", DnsType.A);
        notimp[2] |= 0x10; // opcode 2 (STATUS)
        Assert.Equal((int)Rcode.NotImp, Udp(server.Bound, notimp)[3] & 0xF);
        var ok = DnsWireReader.ReadMessage(Udp(server.Bound, DnsWireWriter.Query(10, "my-service.default.svc.cluster.local", DnsType.A)))!;
        Assert.Equal("10.100.200.1", ok.Answer.Single().Data.ToText());
    }

    [Fact]
    public void Names_outside_the_cluster_are_forwarded_to_an_upstream_server()
    {
        var upstreamCluster = TestClusters.Load("apiVersion: v1\nkind: Service\nmetadata: {name: www, namespace: web}\nspec: {clusterIP: 10.77.0.1, ports: [{port: 80}]}\n",
            "example.test:53 {\n  kubernetes example.test\n}\n");
        var upstream = StartPlain(upstreamCluster);
        var cluster = TestClusters.Load(File.ReadAllText(Path.Combine(TestClusters.DemoPath, "my-service.yaml")),
            $".:53 {{\n  kubernetes cluster.local\n  forward . 127.0.0.1:{upstream.Bound.Port}\n}}\n");
        var server = StartPlain(cluster);
        var reply = DnsWireReader.ReadMessage(Udp(server.Bound, DnsWireWriter.Query(77, "www.web.svc.example.test", DnsType.A)))!;
        Assert.Equal(77, reply.Id);
        Assert.Equal("10.77.0.1", reply.Answer.Single().Data.ToText());
        var tcp = DnsWireReader.ReadMessage(Tcp(server.Bound, DnsWireWriter.Query(78, "www.web.svc.example.test", DnsType.A)))!;
        Assert.Equal("10.77.0.1", tcp.Answer.Single().Data.ToText());
        // Still answering its own names.
        Assert.Equal("10.100.200.1", DnsWireReader.ReadMessage(Udp(server.Bound, DnsWireWriter.Query(79, "my-service.default.svc.cluster.local", DnsType.A)))!.Answer.Single().Data.ToText());
    }

    [Fact]
    public void Many_queries_at_once_are_all_answered()
    {
        var server = StartPlain(Demo);
        int ok = 0;
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var m = DnsWireReader.ReadMessage(Udp(server.Bound, DnsWireWriter.Query((ushort)i, "my-db.default.svc.cluster.local", DnsType.A)))!;
            if (m.Id == (ushort)i && m.Answer.Count == 2) Interlocked.Increment(ref ok);
        });
        Assert.Equal(400, ok);
    }

    [Fact]
    public void Dig_gets_the_answers_coredns_gives()
    {
        var server = StartPlain(Demo);
        var psi = new ProcessStartInfo("dig", ["@127.0.0.1", "-p", server.Bound.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "my-db.default.svc.cluster.local", "+tries=1", "+time=3"])
        { RedirectStandardOutput = true };
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception) { throw new Xunit.Sdk.XunitException("dig is not installed: apt-get install -y dnsutils (.ci/run does)"); }
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Contains("status: NOERROR", text);
        Assert.Contains("flags: qr aa rd;", text);
        Assert.Matches(@"my-db\.default\.svc\.cluster\.local\.\s+30\s+IN\s+A\s+10\.244\.1\.5", text);
        Assert.Matches(@"my-db\.default\.svc\.cluster\.local\.\s+30\s+IN\s+A\s+10\.244\.2\.7", text);
    }
}
