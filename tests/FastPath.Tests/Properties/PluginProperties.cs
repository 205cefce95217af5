using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using FastPath.Compiled;
using FastPath.Dns;
using FastPath.Reference.Dns;
using FastPath.Tests.Compiled;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using Xunit.Abstractions;

namespace FastPath.Tests.Properties;

/// <summary>
/// rewrite, autopath and hosts compiled answer exactly as the reference interpreter: random clusters get random
/// plugin lines (rules of every match kind that aim at their Services, hosts entries shadowing and beside them,
/// autopath with pods verified), and queries are asked from pod addresses, unknown addresses and no address.
/// </summary>
public class PluginProperties(ITestOutputHelper output)
{
    private const int QueriesPerCluster = 60;
    private static int Runs => int.TryParse(Environment.GetEnvironmentVariable("FASTPATH_PROPERTY_RUNS"), out int n) && n > 0 ? n : 12;
    private static int _clusters;

    /// <summary>Which plugins and options a cluster gets: one bit each.</summary>
    private static Gen<ClusterSpec> WithPlugins =>
        from spec in ClusterGenerators.Clusters
        from bits in Gen.Choose(1, 1023)
        select Apply(spec, bits);

    internal static ClusterSpec Apply(ClusterSpec spec, int bits)
    {
        bool rewrite = (bits & 1) != 0, autopath = (bits & 2) != 0, hosts = (bits & 4) != 0;
        var s0 = Target(spec);
        var text = new StringBuilder();
        if (rewrite)
        {
            string mode = (bits & 8) != 0 ? "continue " : (bits & 16) != 0 ? "stop " : "";
            text.Append($"    rewrite {mode}name exact alias.{s0.Namespace}.svc.cluster.local. {s0.Name}.{s0.Namespace}.svc.cluster.local.\n");
            text.Append($"    rewrite {mode}name suffix .corp.example. .{s0.Namespace}.svc.cluster.local. answer name (.*)\\.{s0.Namespace}\\.svc\\.cluster\\.local\\. {{1}}.corp.example.\n");
            text.Append($"    rewrite name substring zz svc\n");
            text.Append($"    rewrite name prefix www. {s0.Name}.\n");
            text.Append($"    rewrite name regex (.*)\\.rx\\.example\\. {{1}}.svc.cluster.local. answer name (.*)\\.svc\\.cluster\\.local\\. {{1}}.rx.example.\n");
        }
        if (autopath) text.Append("    autopath @kubernetes\n");
        if (hosts)
        {
            text.Append("    hosts {\n");
            text.Append($"        192.168.7.1 gw.cluster.local {s0.Name}.{s0.Namespace}.svc.cluster.local\n");
            text.Append("        192.168.7.2 gw.cluster.local db.example.net\n        fd00::7 gw.cluster.local\n        10.96.0.10 Upper.Example.Net\n");
            if ((bits & 32) != 0) text.Append("        ttl 42\n");
            if ((bits & 64) != 0) text.Append("        no_reverse\n");
            if ((bits & 128) != 0) text.Append("        fallthrough\n");
            else if ((bits & 256) != 0) text.Append("        fallthrough cluster.local\n");
            text.Append("    }\n");
        }
        var corefile = spec.Corefile with { Plugins = text.ToString() };
        if (autopath && (bits & 512) == 0) corefile = corefile with { Pods = "verified" };
        return spec with { Corefile = corefile };
    }

    /// <summary>The Service the rules aim at (a name of the right shape when the cluster has none).</summary>
    private static (string Name, string Namespace) Target(ClusterSpec spec) =>
        spec.Services.Count > 0 ? (spec.Services[0].Name, spec.Services[0].Namespace) : ("svc-0", spec.Namespaces.FirstOrDefault() ?? "alpha");

    /// <summary>The generator's queries, plus names the plugins act on, each from a random client.</summary>
    internal static IEnumerable<DnsQuery> Queries(ClusterSpec spec, int seed)
    {
        var rnd = new Random(seed);
        var names = ClusterGenerators.Queries(spec, seed, QueriesPerCluster).Select(q => q.Name).ToList();
        var s0 = Target(spec);
        names.AddRange([$"alias.{s0.Namespace}.svc.cluster.local.", $"ALIAS.{s0.Namespace}.svc.cluster.local.", $"{s0.Name}.corp.example.", $"{s0.Name}.{s0.Namespace}.zz.cluster.local.",
            $"www.{s0.Namespace}.svc.cluster.local.", $"{s0.Name}.{s0.Namespace}.rx.example.", "gw.cluster.local.", "GW.cluster.local.", "db.example.net.", "upper.example.net.",
            "2.7.168.192.in-addr.arpa.", "1.7.168.192.in-addr.arpa.", "10.0.96.10.in-addr.arpa.", ReverseName.For(IPAddress.Parse("fd00::7")), "nothing.example.net."]);
        foreach (var s in spec.Services)
            foreach (var ns in spec.Namespaces)
            {
                names.Add($"{s.Name}.{s.Namespace}.{ns}.svc.cluster.local.");
                names.Add($"{s.Name}.{ns}.svc.cluster.local.");
            }
        foreach (var ns in spec.Namespaces) { names.Add($"google.com.{ns}.svc.cluster.local."); names.Add($"Gw.Cluster.Local.{ns}.svc.cluster.local."); }
        var clients = spec.Pods.Select(p => (IPAddress?)IPAddress.Parse(p.Ip)).Append(IPAddress.Parse("10.9.9.9")).Append(null).ToList();
        string[] types = ["A", "AAAA", "PTR", "SRV", "TXT", "CNAME", "SOA", "MX"];
        for (int i = 0; i < QueriesPerCluster; i++)
        {
            var name = names[rnd.Next(names.Count)];
            if (rnd.Next(6) == 0) name = new string(name.Select(c => rnd.Next(2) == 0 ? char.ToUpperInvariant(c) : c).ToArray());
            DnsNaming.TryParseType(types[rnd.Next(types.Length)], out var t);
            yield return new DnsQuery(name, t, clients[rnd.Next(clients.Count)], Id: 3);
        }
    }

    internal static void AssertAgrees(ClusterSpec spec, int seed)
    {
        Interlocked.Increment(ref _clusters);
        var cluster = CompiledMatchesReferenceProperties.Load(spec);
        var compiled = CompiledClusters.For(cluster).Dns;
        var dns = new CompiledDns(DnsDataOf(compiled)); // fresh engines on both sides: loadbalance rotation starts together
        var reference = new ReferenceResolver(cluster);
        foreach (var q in Queries(spec, seed))
        {
            var want = CompiledClusters.Describe(reference.Resolve(q));
            var got = CompiledClusters.Describe(dns.Resolve(q));
            if (want != got) throw new Exception(CompiledMatchesReferenceProperties.Report(spec, $"query {q.Name} {q.Type} client {q.Client?.ToString() ?? "-"}", want, got));
        }
    }

    internal static CompiledDnsData DnsDataOf(CompiledDns dns) =>
        (CompiledDnsData)typeof(CompiledDns).GetField("_d", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(dns)!;

    private void Run(ulong seed)
    {
        output.WriteLine($"seed {seed}, {Runs} clusters x {QueriesPerCluster} queries");
        int before = _clusters;
        var property = Prop.ForAll(WithPlugins.ToArbitrary(), Gen.Choose(0, 100_000).ToArbitrary(), (spec, querySeed) => AssertAgrees(spec, querySeed));
        var replay = new Replay(new Rnd(seed, 0x9E3779B97F4A7C15UL | 1), Microsoft.FSharp.Core.FSharpOption<int>.None);
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(Runs).WithReplay(Microsoft.FSharp.Core.FSharpOption<Replay>.Some(replay)).WithQuietOnSuccess(true), property);
        Assert.True(_clusters - before >= Runs, "the property ran on fewer clusters than asked");
    }

    [Fact]
    public void Compiled_rewrite_autopath_and_hosts_agree_with_the_reference_fixed_seed() => Run(20261202);

    [Fact]
    public void Compiled_rewrite_autopath_and_hosts_agree_with_the_reference_random_seed() => Run((ulong)Random.Shared.NextInt64());
}
