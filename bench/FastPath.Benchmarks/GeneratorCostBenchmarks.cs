using BenchmarkDotNet.Attributes;
using FastPath.Compiler;
using FastPath.Model;
using FastPath.Model.Emit;
using FastPath.Model.Loading;
using FastPath.Model.Planning;
using FastPath.TestData;

namespace FastPath.Benchmarks;

/// <summary>Build-time cost: plan and emit (what the generator does), and the same plus a Roslyn compile.</summary>
[MemoryDiagnoser]
[Config(typeof(InProcessJob.FullBuild))] // in process: one warm-up and 3 timed runs, medians
public class GeneratorCostBenchmarks
{
    [Params(10, 1_000, 10_000)] public int Services;
    private Cluster _cluster = null!;
    private EmitRequest _emit = null!;

    [GlobalSetup]
    public void Setup()
    {
        _cluster = ClusterLoader.LoadTexts([new ManifestText("bench.yaml", SyntheticCluster.Yaml(Services, 10))],
            new LoadOptions { CorefileText = ".:53 {\n  kubernetes cluster.local in-addr.arpa\n}\n" }).Cluster!;
        // What ClusterCompiler.EmitSource asks for, with the plan made once so the emit is timed on its own.
        _emit = new EmitRequest
        {
            Namespace = "FastPath.Generated", ClassName = "Cluster_bench", Accessibility = "public",
            Plan = ClusterPlan.Build(_cluster, null), Description = "a cluster compiled at run time",
        };
    }

    [Benchmark(Description = "plan")]
    public ClusterPlan Plan() => ClusterPlan.Build(_cluster, null);

    [Benchmark(Description = "emit (source length)")]
    public int Emit() => ClusterEmitter.Emit(_emit).Length;

    [Benchmark(Description = "plan + emit (source length)")]
    public int PlanAndEmit() => ClusterCompiler.EmitSource(_cluster).Length;

    [Benchmark(Description = "plan + emit + Roslyn compile")]
    public object Compile() => ClusterCompiler.Compile(_cluster);
}
