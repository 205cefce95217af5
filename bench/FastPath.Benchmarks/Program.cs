using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace FastPath.Benchmarks;

public static class Program
{
    /// <summary>
    /// `--short` runs every benchmark with a short job (minutes); without it, BenchmarkDotNet's default job (the full run).
    /// Any other argument goes to BenchmarkDotNet (e.g. --filter '*NameLookup*').
    /// </summary>
    public static void Main(string[] args)
    {
        var config = DefaultConfig.Instance;
        if (System.Array.IndexOf(args, "--short") >= 0)
        {
            // In-process: the clusters (10,000 services take seconds to load) are built once and shared by every case.
            config = config.AddJob(Job.ShortRun.WithWarmupCount(2).WithIterationCount(5)
                .WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance).WithId("short"));
            args = System.Array.FindAll(args, a => a != "--short");
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
