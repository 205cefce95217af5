using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;

namespace FastPath.Compare;

/// <summary>
/// Loads one build's FastPath.Benchmarks.dll and times its lookup and whole-message benchmarks in short interleaved
/// windows (every case in turn, round after round), printing per case the median ns per call and its ratio to the
/// baseline measured in the same windows. Ratios within one process are what survive a shared, noisy machine.
/// Given FastPath.Integrations.Benchmarks.dll instead, it times YARP picks (FastPath.ClientIP and FastPath.KubeProxy
/// against YARP's RoundRobin) and prints the nanoseconds each adds per pick, window by window.
/// Usage: FastPath.Compare PATH/FastPath.Benchmarks.dll|PATH/FastPath.Integrations.Benchmarks.dll [rounds]
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length < 1) { Console.Error.WriteLine("usage: FastPath.Compare PATH/FastPath.Benchmarks.dll [rounds]"); return 2; }
        var asm = Assembly.LoadFrom(args[0]);
        int rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10;
        if (System.IO.Path.GetFileName(args[0]) == "FastPath.Integrations.Benchmarks.dll") return Yarp(asm, rounds);
        var cases = new List<(string Name, string Baseline, Func<int> Op)>();
        foreach (int n in new[] { 10, 1_000, 10_000 })
            foreach (var name in new[] { "ClusterIP", "Headless64", "ExternalName", "Miss" })
            {
                var o = Make(asm, "NameLookupBenchmarks", ("Services", n), ("Name", name));
                cases.Add(($"lookup {n} {name}", "FrozenDictionary", Op(o, "Generated")));
                cases.Add(($"lookup {n} {name} FrozenDictionary", "", Op(o, "Frozen")));
            }
        var msg = Make(asm, "MessageBenchmarks", ("Services", 1_000));
        cases.Add(("message 1000 Respond", "ARSoft", Op(msg, "Generated")));
        cases.Add(("message 1000 Respond ARSoft", "", Op(msg, "ArSoftTools")));

        foreach (var c in cases) Run(c.Op, TimeSpan.FromMilliseconds(300)); // every case at tier 1 before timing
        var samples = cases.Select(_ => new List<double>()).ToList();
        for (int r = 0; r < rounds; r++)
            for (int k = 0; k < cases.Count; k++)
                for (int w = 0; w < 3; w++) samples[k].Add(Run(cases[k].Op, TimeSpan.FromMilliseconds(20)));
        for (int k = 0; k < cases.Count; k++)
        {
            if (cases[k].Baseline.Length == 0) continue;
            // The ratio is taken window by window against the baseline's window of the same round, then the median.
            var ratios = samples[k].Zip(samples[k + 1], (a, b) => a / b).OrderBy(x => x).ToList();
            Console.WriteLine($"{cases[k].Name}\t{Median(samples[k]):F2} ns\t{cases[k].Baseline} {Median(samples[k + 1]):F2} ns\tratio {ratios[ratios.Count / 2]:F3}");
        }
        return 0;
    }

    /// <summary>The YARP picks: each benchmark call is 1,024 picks; the added cost is taken window by window against RoundRobin.</summary>
    private static int Yarp(Assembly asm, int rounds)
    {
        const int picks = 1024;
        var t = asm.GetType("FastPath.Integrations.Benchmarks.IntegrationYarpBenchmarks") ?? throw new InvalidOperationException("no IntegrationYarpBenchmarks");
        var o = Activator.CreateInstance(t)!;
        t.GetMethod("Setup")!.Invoke(o, null);
        Func<int> Pick(string method)
        {
            // The methods return a DestinationState (a class): a Func<object> binds to them by return covariance.
            var f = (Func<object?>)Delegate.CreateDelegate(typeof(Func<object?>), o, t.GetMethod(method) ?? throw new InvalidOperationException("no method " + method));
            return () => f() is null ? 0 : 1;
        }
        var cases = new (string Name, Func<int> Op)[] { ("RoundRobin", Pick("YarpRoundRobin")), ("ClientIP", Pick("FastPathClientIp")), ("KubeProxy", Pick("FastPathKubeProxy")) };
        foreach (var c in cases) Run(c.Op, TimeSpan.FromMilliseconds(300), batch: 10);
        var samples = cases.Select(_ => new List<double>()).ToList();
        for (int r = 0; r < rounds; r++)
            for (int w = 0; w < 3; w++)
                for (int k = 0; k < cases.Length; k++) samples[k].Add(Run(cases[k].Op, TimeSpan.FromMilliseconds(20), batch: 10) / picks);
        Console.WriteLine($"yarp RoundRobin\t{Median(samples[0]):F2} ns");
        for (int k = 1; k < cases.Length; k++)
        {
            var added = samples[k].Zip(samples[0], (a, b) => a - b).ToList();
            Console.WriteLine($"yarp {cases[k].Name}\t{Median(samples[k]):F2} ns\tadds {Median(added):F2} ns over RoundRobin");
        }
        return 0;
    }

    private static double Median(List<double> xs) => xs.OrderBy(x => x).ElementAt(xs.Count / 2);

    /// <summary>ns per call over a window of about <paramref name="window"/>, in batches of <paramref name="batch"/> calls.</summary>
    private static double Run(Func<int> op, TimeSpan window, int batch = 1000)
    {
        long ops = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < window) { for (int i = 0; i < batch; i++) op(); ops += batch; }
        return sw.Elapsed.TotalNanoseconds / ops;
    }

    private static object Make(Assembly asm, string type, params (string Field, object Value)[] set)
    {
        var t = asm.GetType("FastPath.Benchmarks." + type) ?? throw new InvalidOperationException("no benchmark class " + type);
        var o = Activator.CreateInstance(t)!;
        foreach (var (f, v) in set)
        {
            var field = t.GetField(f) ?? throw new InvalidOperationException($"{type} has no parameter {f}");
            field.SetValue(o, v is string s && field.FieldType.IsEnum ? Enum.Parse(field.FieldType, s) : v);
        }
        t.GetMethod("Setup")!.Invoke(o, null);
        return o;
    }

    private static Func<int> Op(object o, string method) =>
        (Func<int>)Delegate.CreateDelegate(typeof(Func<int>), o, o.GetType().GetMethod(method) ?? throw new InvalidOperationException("no method " + method));
}
