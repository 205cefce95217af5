using System;
using System.Diagnostics;
using FastPath.Dns.Wire;

namespace FastPath.Fuzz;

/// <summary>
/// The long fuzz run (not part of CI): <c>dotnet run -c Release --project bench/FastPath.Fuzz -- [packets] [seed]</c>
/// (or <c>-- flood [names]</c>, see <see cref="Flood"/>; <c>-- affinity [clients]</c>, see <see cref="Affinity"/>)
/// feeds mutated packets to every parser and both engines (see <see cref="FuzzTargets"/>) and prints packets per
/// second, the verdicts and every crash or disagreement with its packet in hex. Exits 1 when any was found.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "flood") return Flood.Run(args.Length > 1 ? long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
        if (args.Length > 0 && args[0] == "affinity") return Affinity.Run(args.Length > 1 ? long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
        long packets = args.Length > 0 ? long.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
        int seed = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : Environment.TickCount;
        var targets = new FuzzTargets();
        var mutator = new PacketMutator(seed);
        long crashes = 0, failures = 0;
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < packets; i++)
        {
            var packet = mutator.Next();
            string? failure;
            try { failure = targets.Check(packet); }
            catch (Exception ex) { crashes++; failure = "crash: " + ex; }
            if (failure is null) continue;
            failures++;
            if (failures <= 20) Console.WriteLine($"packet {i} (seed {seed}) {Convert.ToHexString(packet)}\n  {failure}");
        }
        double seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"seed {seed}: {packets:N0} packets in {seconds:F1} s ({packets / seconds:N0} packets/s through all parsers and both engines)");
        Console.WriteLine($"crashes {crashes}, other failures {failures - crashes}");
        var names = Enum.GetNames<QueryVerdict>();
        for (int v = 0; v < names.Length; v++) Console.WriteLine($"  {names[v],-9} {targets.Verdicts[v],12:N0}");
        return failures == 0 ? 0 : 1;
    }
}
