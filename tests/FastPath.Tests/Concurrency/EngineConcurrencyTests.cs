using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Live;
using FastPath.Reference.Dns;
using FastPath.Server;
using Xunit;
using Xunit.Abstractions;

namespace FastPath.Tests.Concurrency;

/// <summary>
/// Every DNS engine answers the same bytes whether a query is asked alone or while other threads ask others, as the
/// server's several UDP receive loops do. The cluster has what once broke the reference under load: ExternalName
/// targets in a second zone (answered through the server itself, one level deeper each time) and a CNAME loop
/// across the two zones that stops at the depth limit.
/// </summary>
public class EngineConcurrencyTests(ITestOutputHelper output)
{
    private const string Yaml = """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec: {clusterIP: 10.96.0.10, ports: [{name: http, port: 80}]}
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: web-1, namespace: shop, labels: {kubernetes.io/service-name: web}}
        addressType: IPv4
        ports: [{name: http, port: 8080, protocol: TCP}]
        endpoints:
        - {addresses: [10.1.0.1], conditions: {ready: true}, hostname: web-0}
        - {addresses: [10.1.0.2], conditions: {ready: true}, hostname: web-1}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: db, namespace: shop}
        spec: {clusterIP: None, ports: [{name: pg, port: 5432}]}
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: db-1, namespace: shop, labels: {kubernetes.io/service-name: db}}
        addressType: IPv4
        ports: [{name: pg, port: 5432, protocol: TCP}]
        endpoints:
        - {addresses: [10.1.1.1], conditions: {ready: true}, hostname: db-0}
        - {addresses: [10.1.1.2], conditions: {ready: true}, hostname: db-1}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: far, namespace: shop}
        spec: {type: ExternalName, externalName: web.shop.svc.other.local}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: far-db, namespace: shop}
        spec: {type: ExternalName, externalName: db.shop.svc.other.local}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: ping, namespace: shop}
        spec: {type: ExternalName, externalName: pong.shop.svc.other.local}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: pong, namespace: shop}
        spec: {type: ExternalName, externalName: ping.shop.svc.cluster.local}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: outside, namespace: shop}
        spec: {type: ExternalName, externalName: www.example.org}
        """;

    private const string Corefile = """
        .:53 {
            kubernetes cluster.local other.local in-addr.arpa {
                pods insecure
            }
            forward . 192.0.2.53
        }
        """;

    /// <summary>Names in both zones, every kind of answer: addresses, CNAME chains, loops, SRV, PTR, NXDOMAIN, forward, pods.</summary>
    private static List<(string Name, DnsType Type)> Questions()
    {
        var names = new[]
        {
            "web.shop.svc.cluster.local", "web.shop.svc.other.local", "db.shop.svc.cluster.local", "db-0.db.shop.svc.other.local",
            "far.shop.svc.cluster.local", "far-db.shop.svc.cluster.local", "far.shop.svc.other.local",
            "ping.shop.svc.cluster.local", "pong.shop.svc.cluster.local", "ping.shop.svc.other.local",
            "outside.shop.svc.cluster.local", "nope.shop.svc.cluster.local", "_http._tcp.web.shop.svc.other.local",
            "10-1-0-1.shop.pod.cluster.local", "1.0.1.10.in-addr.arpa", "10.0.96.10.in-addr.arpa", "cluster.local", "www.example.org",
        };
        var types = new[] { DnsType.A, DnsType.AAAA, DnsType.SRV, DnsType.CNAME, DnsType.PTR, DnsType.TXT, DnsType.SOA, DnsType.NS };
        return names.SelectMany(n => types.Select(t => (n, t))).ToList();
    }

    private static (IDnsEngine Reference, IDnsEngine Compiled) Engines()
    {
        var cluster = TestClusters.Load(Yaml, Corefile);
        var options = new ReferenceDnsOptions { DnsIPs = [System.Net.IPAddress.Parse("10.96.0.53")] };
        var snapshot = ClusterSnapshot.Build(cluster, options.DnsIPs);
        return (new ReferenceEngine(new ReferenceResolver(cluster, options)), new CompiledEngine(snapshot.Dns));
    }

    private static byte[] Answer(IDnsEngine engine, byte[] query, byte[] buffer)
    {
        int n = engine.Respond(query, buffer, out var outcome, out var upstreams);
        // The outcome and upstreams are part of the answer: a forward that turns into an answer is as wrong as bad bytes.
        var tail = System.Text.Encoding.ASCII.GetBytes($"|{outcome}|{string.Join(",", upstreams)}");
        return [.. buffer.AsSpan(0, Math.Max(n, 0)), .. tail];
    }

    /// <summary>Runs every question alone, then from several threads at once; returns the answers that differ.</summary>
    private static List<string> Stress(IDnsEngine engine, int threads, int perThread)
    {
        var questions = Questions();
        var queries = questions.Select((q, i) => DnsWireWriter.Query((ushort)i, q.Name, q.Type)).ToArray();
        var buffer = new byte[4096];
        var alone = queries.Select(q => Answer(engine, q, buffer)).ToArray();
        var differences = new List<string>();
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var buf = new byte[4096];
            var rnd = new Random(t);
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            for (int i = 0; i < perThread; i++)
            {
                int k = rnd.Next(queries.Length);
                var got = Answer(engine, queries[k], buf);
                if (!got.AsSpan().SequenceEqual(alone[k]))
                    lock (differences) differences.Add($"{questions[k].Name} {questions[k].Type}: alone {Show(alone[k])}, together {Show(got)}");
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        foreach (var w in workers) Assert.True(w.Join(TimeSpan.FromSeconds(60)), "a worker thread did not finish");
        return differences;
    }

    private static string Show(byte[] answer)
    {
        int bar = Array.IndexOf(answer, (byte)'|');
        var m = DnsWireReader.ReadMessage(answer.AsSpan(0, bar < 0 ? answer.Length : bar));
        return m is null ? Convert.ToHexString(answer) : $"{m.Rcode} with {m.Answer.Count} answers";
    }

    private void AssertNoDifferences(string engine, List<string> differences, int total)
    {
        output.WriteLine($"{engine}: {total} concurrent answers, {differences.Count} differ from the answer given alone");
        Assert.True(differences.Count == 0, $"{engine}: {differences.Count} of {total} answers differ, e.g.\n" + string.Join("\n", differences.Take(5)));
    }

    [Fact]
    public void Reference_engine_answers_the_same_bytes_under_concurrent_queries()
    {
        var differences = Stress(Engines().Reference, threads: 4, perThread: 2500);
        AssertNoDifferences("reference", differences, 10_000);
    }

    [Fact]
    public void Compiled_engine_answers_the_same_bytes_under_concurrent_queries()
    {
        var differences = Stress(Engines().Compiled, threads: 4, perThread: 5000);
        AssertNoDifferences("compiled", differences, 20_000);
    }

    [Fact]
    public void Cname_loop_across_two_zones_stops_at_the_upstream_depth_limit_on_every_thread()
    {
        // CoreDNS's upstream lookups stop after 8 levels: ping → pong → ping … gives 9 CNAMEs and no address. The
        // count was what the shared depth field got wrong under load (0–31 records instead of 9).
        var (reference, _) = Engines();
        var query = DnsWireWriter.Query(7, "ping.shop.svc.cluster.local", DnsType.A);
        var buffer = new byte[4096];
        int n = reference.Respond(query, buffer, out _, out _);
        var alone = DnsWireReader.ReadMessage(buffer.AsSpan(0, n))!;
        Assert.Equal(Rcode.NoError, alone.Rcode);
        Assert.Equal(9, alone.Answer.Count);
        Assert.All(alone.Answer, r => Assert.Equal(DnsType.CNAME, r.Type));
        Assert.Empty(Stress(reference, threads: 4, perThread: 500));
    }
}
