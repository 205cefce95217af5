using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Live;
using FastPath.Model;
using FastPath.Model.Loading;
using FastPath.TestData;

namespace FastPath.Benchmarks;

/// <summary>
/// A full snapshot build (10 endpoints per Service): the baseline an incremental update is compared with. 10,000
/// Services is the goal's size; the smaller sizes draw its cost curve (issue 16 part 6).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessJob.FullBuild))]
public class LiveFullBuildBenchmarks
{
    [Params(10, 1_000, 10_000)] public int Services;
    private Cluster _cluster = null!;

    [GlobalSetup]
    public void Setup() =>
        _cluster = ClusterLoader.LoadTexts([new ManifestText("bench.yaml", SyntheticCluster.Yaml(Services, 10))],
            new LoadOptions { CorefileText = ".:53 {\n  kubernetes cluster.local in-addr.arpa\n}\n" }).Cluster!;

    [Benchmark(Description = "full snapshot build")]
    public ClusterSnapshot FullBuild() => ClusterSnapshot.Build(_cluster);
}

/// <summary>
/// The live engine (10 endpoints per Service; 10,000 Services is the goal's size, the smaller sizes draw the cost
/// curve of issue 16 part 6): one EndpointSlice
/// change published through <see cref="LiveCluster"/> (parse, incremental re-plan, publish), and a lookup while
/// another thread publishes changes (1,000 a second) against the same lookup when idle. Setup prints the retained
/// memory of the live cluster per endpoint.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessJob.Update))]
public class LiveSnapshotBenchmarks
{
    [Params(10, 1_000, 10_000)] public int Services;

    private LiveCluster _live = null!;
    private ObjectKey _slice;
    private string _sliceA = "", _sliceB = "";
    private bool _flip;
    private byte[] _query = [];
    private readonly byte[] _response = new byte[4096];
    private Thread? _churn;
    private volatile bool _stop;

    private static readonly Regex Kind = new(@"kind: (\w+)"), Meta = new(@"metadata: \{name: ([^,}]+)(?:, namespace: ([^,}]+))?");
    private const string Corefile = ".:53 {\n  kubernetes cluster.local in-addr.arpa\n}\n";

    [GlobalSetup]
    public void Setup()
    {
        var yaml = SyntheticCluster.Yaml(Services, 10);
        var objects = new List<KeyValuePair<ObjectKey, string>>();
        foreach (var doc in yaml.Split("---\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var m = Meta.Match(doc);
            objects.Add(new(new ObjectKey(Kind.Match(doc).Groups[1].Value, m.Groups[2].Value, m.Groups[1].Value), doc));
        }
        long before = GC.GetTotalMemory(forceFullCollection: true);
        _live = new LiveCluster(new LiveClusterOptions { Debounce = TimeSpan.Zero, Load = new LoadOptions { CorefileText = Corefile } });
        foreach (var kind in new[] { "Service", "EndpointSlice" }) _live.Replace(kind, objects.Where(o => o.Key.Kind == kind));
        _live.MarkSynced();
        long after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"// live cluster retained: {(after - before) / 1e6:F1} MB for {Services * 10} endpoints = {(after - before) / (Services * 10.0):F0} B per endpoint (objects' text and model included)");
        var slice = objects.First(o => o.Key.Kind == "EndpointSlice" && o.Key.Name == "svc-1-1");
        _slice = slice.Key;
        _sliceA = slice.Value;
        _sliceB = slice.Value.Replace("ready: true}, nodeName: node-1}", "ready: false}, nodeName: node-1}");
        _query = DnsWireWriter.Query(1, "svc-2.ns-0.svc.cluster.local", DnsType.A, true);
        ChangeDistribution(1000);
    }

    /// <summary>
    /// One change at a time, each timed on its own: BenchmarkDotNet reports iteration means, the goal asks for the
    /// median and p99 of single changes. Also the bytes one change allocates on this thread.
    /// </summary>
    private void ChangeDistribution(int changes)
    {
        for (int i = 0; i < 50; i++) SliceChange(); // warm-up
        var ticks = new long[changes];
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < changes; i++)
        {
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            SliceChange();
            ticks[i] = System.Diagnostics.Stopwatch.GetTimestamp() - t0;
        }
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Array.Sort(ticks);
        double Ms(long t) => t * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
        Console.WriteLine($"// one EndpointSlice change published, {changes} changes timed one by one: median {Ms(ticks[changes / 2]):F3} ms, " +
            $"p99 {Ms(ticks[changes * 99 / 100]):F3} ms, max {Ms(ticks[^1]):F3} ms, allocated {allocated / changes:N0} B per change");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop = true;
        _churn?.Join();
        _live.Dispose();
    }

    [Benchmark(Description = "one EndpointSlice change published")]
    public long SliceChange()
    {
        _flip = !_flip;
        _live.Upsert(_slice, _flip ? _sliceB : _sliceA);
        return _live.Current!.Version;
    }

    [Benchmark(Description = "lookup, idle", OperationsPerInvoke = 1000)]
    public int LookupIdle() => Lookups();

    [IterationSetup(Target = nameof(LookupDuringChurn))]
    public void StartChurn()
    {
        if (_churn is not null) return;
        _churn = new Thread(() =>
        {
            // 1,000 changes a second: one every millisecond, alternating a slice of another Service.
            var key = new ObjectKey("EndpointSlice", "ns-0", "svc-3-1");
            bool flip = false;
            var a = _sliceA.Replace("svc-1", "svc-3");
            var b = _sliceB.Replace("svc-1", "svc-3");
            var next = DateTime.UtcNow;
            while (!_stop)
            {
                flip = !flip;
                _live.Upsert(key, flip ? b : a);
                next = next.AddMilliseconds(1);
                var wait = next - DateTime.UtcNow;
                if (wait > TimeSpan.Zero) Thread.Sleep(wait);
            }
        }) { IsBackground = true };
        _churn.Start();
    }

    [Benchmark(Description = "lookup, 1,000 changes/s on another thread", OperationsPerInvoke = 1000)]
    public int LookupDuringChurn() => Lookups();

    private int Lookups()
    {
        int n = 0;
        for (int i = 0; i < 1000; i++) n += _live.Current!.Dns.Respond(_query, _response, out _, out _);
        return n;
    }
}

/// <summary>
/// In-process jobs: a 10,000-Service cluster takes a minute to set up, and the generated per-case project does not
/// build within BenchmarkDotNet's timeout on a loaded 2-core machine.
/// </summary>
public static class InProcessJob
{
    private static BenchmarkDotNet.Jobs.Job Monitoring(int iterations, int invocations) =>
        BenchmarkDotNet.Jobs.Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1)
            .WithIterationCount(iterations).WithInvocationCount(invocations).WithUnrollFactor(1)
            .WithToolchain(new BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain(TimeSpan.FromHours(1), logOutput: true));

    public sealed class FullBuild : BenchmarkDotNet.Configs.ManualConfig
    {
        public FullBuild() => AddJob(Monitoring(3, 1));
    }

    public sealed class Update : BenchmarkDotNet.Configs.ManualConfig
    {
        public Update() { AddJob(Monitoring(30, 16)); AddColumn(BenchmarkDotNet.Columns.StatisticColumn.P95, BenchmarkDotNet.Columns.StatisticColumn.Max); }
    }
}
