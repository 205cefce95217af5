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
/// Usage: FastPath.Compare PATH/FastPath.Benchmarks.dll [rounds]
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length < 1) { Console.Error.WriteLine("usage: FastPath.Compare PATH/FastPath.Benchmarks.dll [rounds]"); return 2; }
        var asm = Assembly.LoadFrom(args[0]);
        int rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10;
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

    private static double Median(List<double> xs) => xs.OrderBy(x => x).ElementAt(xs.Count / 2);

    /// <summary>ns per call over a window of about <paramref name="window"/>, in batches of 1,000 calls.</summary>
    private static double Run(Func<int> op, TimeSpan window)
    {
        long ops = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < window) { for (int i = 0; i < 1000; i++) op(); ops += 1000; }
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
