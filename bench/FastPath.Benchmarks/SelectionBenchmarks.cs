using System;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using FastPath.Runtime;
using FastPath.Runtime.Affinity;
using FastPath.Runtime.Scheduling;

namespace FastPath.Benchmarks;

/// <summary>
/// Backend selection on the runtime pieces generated selectors use: round robin, ClientIP affinity hit and miss,
/// Maglev; one thread and two contending threads; the persistence table holding 1,000,000 templates.
/// </summary>
[MemoryDiagnoser]
public class SelectionBenchmarks
{
    private const int Endpoints = 16, Ops = 1024;
    private BackendSelector _rr = null!, _affinity = null!, _maglev = null!, _bigAffinity = null!;
    private UInt128[] _clients = null!;
    private ulong _next;

    [GlobalSetup]
    public void Setup()
    {
        var keys = Enumerable.Range(0, Endpoints).Select(i => $"10.244.0.{i}:8080").ToArray();
        var w = Enumerable.Repeat(1, Endpoints).ToArray();
        _rr = new BackendSelector(keys, new RoundRobinScheduler(w), null);
        _maglev = new BackendSelector(keys, new MaglevScheduler(w, keys), null);
        var vip = IpKey.FromIPv4(0x0A600001);
        _affinity = new BackendSelector(keys, new RoundRobinScheduler(w), new AffinitySettings(new PersistenceTable(1 << 16), vip, 80, 6, 10800));
        _clients = Enumerable.Range(0, Ops).Select(i => IpKey.FromIPv4(0xC0A80000u + (uint)i)).ToArray();
        foreach (var c in _clients) _affinity.Select(c);
        // A table with a million live templates: the hit path must not slow down with size.
        var big = new PersistenceTable(1 << 21);
        _bigAffinity = new BackendSelector(keys, new RoundRobinScheduler(w), new AffinitySettings(big, vip, 80, 6, 10800));
        for (uint i = 0; i < 1_000_000; i++) _bigAffinity.Select(IpKey.FromIPv4(0x0B000000u + i));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops, Description = "rr")]
    public int RoundRobin()
    {
        int s = 0;
        for (int i = 0; i < Ops; i++) s += _rr.Select(_clients[i]).Index;
        return s;
    }

    [Benchmark(OperationsPerInvoke = Ops, Description = "affinity hit")]
    public int AffinityHit()
    {
        int s = 0;
        for (int i = 0; i < Ops; i++) s += _affinity.Select(_clients[i]).Index;
        return s;
    }

    [Benchmark(OperationsPerInvoke = Ops, Description = "affinity hit, 1,000,000 templates")]
    public int AffinityHitBigTable()
    {
        int s = 0;
        for (int i = 0; i < Ops; i++) s += _bigAffinity.Select(IpKey.FromIPv4(0x0B000000u + (uint)(i * 977))).Index;
        return s;
    }

    [Benchmark(OperationsPerInvoke = Ops, Description = "affinity miss (new client)")]
    public int AffinityMiss()
    {
        int s = 0;
        for (int i = 0; i < Ops; i++) s += _affinity.Select(IpKey.FromIPv4(0x0C000000u + (uint)(_next++ & 0xFFFFF))).Index;
        return s;
    }

    [Benchmark(OperationsPerInvoke = Ops, Description = "mh (Maglev)")]
    public int Maglev()
    {
        int s = 0;
        for (int i = 0; i < Ops; i++) s += _maglev.Select(_clients[i]).Index;
        return s;
    }

    [Benchmark(OperationsPerInvoke = Ops * 2, Description = "affinity hit, 2 threads")]
    public int AffinityTwoThreads()
    {
        int total = 0;
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, t =>
        {
            int s = 0;
            for (int i = 0; i < Ops; i++) s += _affinity.Select(_clients[(i + t * 512) % Ops]).Index;
            System.Threading.Interlocked.Add(ref total, s);
        });
        return total;
    }
}
