using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using FastPath.TestData;
using FastPath.Dns;
using FastPath.Model.Loading;
using FastPath.Reference.Dns;
using Xunit;
using Xunit.Abstractions;

namespace FastPath.Tests.Compiled;

/// <summary>10,000 services and 100,000 endpoints: the plan, the compile, the answers, and the JIT's verdict.</summary>
public class LargeClusterTests(ITestOutputHelper output)
{
    private const string Corefile = ".:53 {\n  kubernetes cluster.local in-addr.arpa\n}\n";

    [Fact]
    public void Ten_thousand_services_compile_answer_as_the_reference_and_no_method_runs_unoptimized()
    {
        var dir = Directory.CreateTempSubdirectory("fastpath-10k-").FullName;
        File.WriteAllText(Path.Combine(dir, "cluster.yaml"), SyntheticCluster.Yaml(10_000, 10));
        File.WriteAllText(Path.Combine(dir, "Corefile"), Corefile);
        var sw = Stopwatch.StartNew();
        var cluster = ClusterLoader.LoadPaths([Path.Combine(dir, "cluster.yaml")], new LoadOptions { CorefileText = Corefile }).Cluster!;
        output.WriteLine($"load {sw.ElapsedMilliseconds} ms");
        sw.Restart();
        var cache = Path.Combine(dir, "cache");
        using var compiled = FastPath.Compiler.ClusterCompiler.Compile(cluster, null, cache);
        output.WriteLine($"plan + emit + Roslyn compile {sw.ElapsedMilliseconds} ms, {compiled.Dns.NameCount} names");
        var reference = new ReferenceResolver(cluster);
        foreach (var name in new[] { "svc-0.ns-0.svc.cluster.local", "svc-9998.ns-99.svc.cluster.local", "svc-9.ns-0.svc.cluster.local", "svc-49.ns-0.svc.cluster.local",
                     "_http._tcp.svc-1.ns-0.svc.cluster.local", "http.tcp.svc-1.ns-0.svc.cluster.local", "nope.ns-3.svc.cluster.local", "5.0.128.10.in-addr.arpa" })
            foreach (var t in new[] { DnsType.A, DnsType.SRV, DnsType.PTR })
            {
                var q = new DnsQuery(name, t);
                Assert.Equal(CompiledClusters.Describe(reference.Resolve(q)), CompiledClusters.Describe(compiled.Dns.Resolve(q)));
            }

        // The CLI compiles the same cluster in a child process with tiering off, so every method is jitted fully
        // optimised unless the JIT gives up on it (MinOpts); the JIT's own summary says which.
        var jitLog = Path.Combine(dir, "jit.txt");
        var cli = typeof(FastPath.Cli.Program).Assembly.Location;
        var psi = new ProcessStartInfo("dotnet", ["exec", cli, "resolve", "svc-5.ns-0.svc.cluster.local", "--manifests", Path.Combine(dir, "cluster.yaml"), "--corefile", Path.Combine(dir, "Corefile")])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["DOTNET_TieredCompilation"] = "0";
        psi.Environment["DOTNET_JitStdOutFile"] = jitLog;
        psi.Environment["DOTNET_JitDisasmSummary"] = "1";
        psi.Environment["FASTPATH_CACHE"] = cache; // the child loads the assembly compiled above
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Contains("svc-5.ns-0.svc.cluster.local.\t5\tIN\tA\t10.96.0.5", stdout);
        var lines = File.ReadAllLines(jitLog);
        // Generated code is compiled optimised by Roslyn and always checked; FastPath's own assemblies only when they were
        // built optimised (Release, as CI builds them): a Debug build is jitted without optimisation by design.
        bool runtimeOptimized = !typeof(FastPath.Compiled.CompiledDns).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false)
            .Cast<DebuggableAttribute>().Any(a => a.IsJITOptimizerDisabled);
        output.WriteLine($"FastPath assemblies optimised: {runtimeOptimized}");
        var ours = lines.Where(l => l.Contains("Cluster_") || (runtimeOptimized && l.Contains("FastPath."))).ToList();
        output.WriteLine($"{ours.Count} FastPath methods jitted; e.g. {ours.FirstOrDefault(l => l.Contains("CompiledDns:Respond"))}");
        Assert.Contains(ours, l => l.Contains("Cluster_"));
        if (runtimeOptimized) Assert.Contains(ours, l => l.Contains("CompiledDns:Respond"));
        var unoptimized = ours.Where(l => l.Contains("MinOpts")).ToList();
        Assert.True(unoptimized.Count == 0, "methods jitted with MinOpts:\n" + string.Join("\n", unoptimized));
    }
}
