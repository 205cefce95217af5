using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Threading;
using FastPath.Compiled;
using FastPath.Compiler;
using FastPath.Dns;
using FastPath.Model;
using FastPath.Model.Loading;
using FastPath.Reference.DataPlane;
using FastPath.Reference.Dns;
using FastPath.Tests.Compiled;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using Xunit.Abstractions;

namespace FastPath.Tests.Properties;

/// <summary>
/// Random valid clusters, compiled in memory by the emitter and Roslyn, answer every query with exactly the
/// reference's whole response and make exactly its selection decisions. Runs a fixed seed and a random one (logged);
/// FASTPATH_PROPERTY_RUNS scales the number of clusters. A failure prints the shrunk cluster as YAML and the query.
/// </summary>
public class CompiledMatchesReferenceProperties(ITestOutputHelper output)
{
    private const int QueriesPerCluster = 60;
    private static int Runs => int.TryParse(Environment.GetEnvironmentVariable("FASTPATH_PROPERTY_RUNS"), out int n) && n > 0 ? n : 12;
    private static readonly ConcurrentDictionary<string, CompiledCluster> Compiled = new();

    internal static Cluster Load(ClusterSpec spec)
    {
        var r = ClusterLoader.LoadTexts([new ManifestText("cluster.yaml", spec.Yaml())], new LoadOptions { CorefileText = spec.Corefile.Text() });
        return r.Cluster ?? throw new InvalidOperationException("the generator made an invalid cluster:\n" + string.Join("\n", r.Diagnostics) + "\n" + spec.Yaml());
    }

    private static CompiledCluster Compile(Cluster c) => Compiled.GetOrAdd(c.ContentHash, _ => ClusterCompiler.Compile(c));

    /// <summary>Throws, with the cluster and the query, at the first difference.</summary>
    private static int _clusters, _queries;

    internal static void AssertAgrees(ClusterSpec spec, int seed)
    {
        Interlocked.Increment(ref _clusters);
        var cluster = Load(spec);
        var compiled = Compile(cluster);
        // Fresh engines on both sides so loadbalance rotation starts together.
        var dns = new CompiledDns(DnsDataOf(compiled));
        var reference = new ReferenceResolver(cluster);
        foreach (var (name, type) in ClusterGenerators.Queries(spec, seed, QueriesPerCluster))
        {
            DnsNaming.TryParseType(type, out var t);
            var q = new DnsQuery(name, t, Id: 1);
            var want = CompiledClusters.Describe(reference.Resolve(q));
            var got = CompiledClusters.Describe(dns.Resolve(q));
            Interlocked.Increment(ref _queries);
            if (want != got) throw new Exception(Report(spec, $"query {name} {type}", want, got));
        }
        var plane = compiled.Get<CompiledDataPlane>("DataPlane");
        foreach (var svc in cluster.Services.Where(s => s.IsProxied))
            foreach (var port in svc.Ports)
            {
                var handle = plane.Find(svc.Namespace, svc.Name, port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))!;
                foreach (var node in new string?[] { null, "n1", "n2" })
                    foreach (var external in new[] { false, true })
                    {
                        var want = EndpointCategorizer.Decide(cluster, svc, port, new TrafficSource(node, external));
                        if (want.Action == Runtime.ProxyAction.NotProxied) continue;
                        var got = handle.Decide(node, external);
                        var w = $"{want.Action} {string.Join(",", want.Endpoints.Select(e => e.Key))}";
                        var g = $"{got.Action} {string.Join(",", got.Eligible.Select(i => handle.Endpoints[i]))}";
                        if (w != g) throw new Exception(Report(spec, $"endpoints {svc.Meta.Key} port {port.Port} node {node ?? "-"} {(external ? "external" : "internal")}", w, g));
                    }
            }
        // Affinity sequences under a fake clock.
        var refTime = new FakeTimeProvider();
        var genTime = new FakeTimeProvider();
        plane.Configure(genTime);
        var refPlane = new ReferenceDataPlane(cluster, refTime);
        var clients = new[] { IPAddress.Parse("192.0.2.1"), IPAddress.Parse("192.0.2.2") };
        foreach (var svc in cluster.Services.Where(s => s.IsProxied && s.Ports.Count > 0))
        {
            var port = svc.Ports[0];
            var handle = plane.Find(svc.Namespace, svc.Name, port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))!;
            for (int step = 0; step < 6; step++)
            {
                var client = clients[step % 2];
                var want = refPlane.Connect(svc, port, TrafficSource.Internal("n1"), client);
                var got = handle.Select(client, "n1");
                var w = $"{want.Decision.Action} {want.Endpoint} {want.Sticky}";
                var g = $"{got.Action} {got.Endpoint} {got.Sticky}";
                if (w != g) throw new Exception(Report(spec, $"select {svc.Meta.Key} step {step} client {client}", w, g));
                var by = TimeSpan.FromSeconds(step == 3 ? 61 : 20);
                refTime.Advance(by); genTime.Advance(by);
            }
        }
        foreach (var ns in cluster.Namespaces)
        {
            var want = string.Join(";", ServiceEnvironment.For(cluster, ns).Select(kv => kv.Key + "=" + kv.Value));
            var got = string.Join(";", ((System.Collections.Generic.IReadOnlyList<System.Collections.Generic.KeyValuePair<string, string>>)compiled.Type.GetMethod("Environment")!.Invoke(null, [ns, true])!).Select(kv => kv.Key + "=" + kv.Value));
            if (want != got) throw new Exception(Report(spec, "env " + ns, want, got));
        }
    }

    private static CompiledDnsData DnsDataOf(CompiledCluster c) =>
        (CompiledDnsData)typeof(CompiledDns).GetField("_d", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(c.Dns)!;

    internal static string Report(ClusterSpec spec, string what, string want, string got) =>
        $"\n{what}\n--- reference\n{want}\n--- compiled\n{got}\n--- Corefile\n{spec.Corefile.Text()}--- manifests (paste into a regression test)\n{spec.Yaml()}";

    private void Run(ulong seed)
    {
        output.WriteLine($"seed {seed}, {Runs} clusters x {QueriesPerCluster} queries (FASTPATH_PROPERTY_RUNS to scale)");
        int clustersBefore = _clusters, queriesBefore = _queries;
        var property = Prop.ForAll(ClusterGenerators.ArbitraryClusters, Gen.Choose(0, 100_000).ToArbitrary(), (spec, querySeed) => AssertAgrees(spec, querySeed));
        var replay = new Replay(new Rnd(seed, 0x9E3779B97F4A7C15UL | 1), Microsoft.FSharp.Core.FSharpOption<int>.None);
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(Runs).WithReplay(Microsoft.FSharp.Core.FSharpOption<Replay>.Some(replay)).WithQuietOnSuccess(true), property);
        output.WriteLine($"checked {_clusters - clustersBefore} clusters, {_queries - queriesBefore} queries");
        Assert.True(_clusters - clustersBefore >= Runs, "the property ran on fewer clusters than asked");
    }

    [Fact]
    public void Compiled_clusters_agree_with_the_reference_fixed_seed() => Run(20261127);

    [Fact]
    public void Compiled_clusters_agree_with_the_reference_random_seed() => Run((ulong)Random.Shared.NextInt64());
}
