using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace FastPath.Integrations.Benchmarks;

public static class Program
{
    /// <summary>`--short` runs in-process with a short job (a few minutes); other arguments go to BenchmarkDotNet.</summary>
    public static void Main(string[] args)
    {
        var config = DefaultConfig.Instance;
        if (System.Array.IndexOf(args, "--short") >= 0)
        {
            config = config.AddJob(Job.ShortRun.WithWarmupCount(3).WithIterationCount(7)
                .WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance).WithId("short"));
            args = System.Array.FindAll(args, a => a != "--short");
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
