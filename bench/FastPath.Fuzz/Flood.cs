using System;
using System.Diagnostics;
using System.Net;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Model.Corefile.Plugins;
using FastPath.Server;

namespace FastPath.Fuzz;

/// <summary>
/// <c>dotnet run -c Release --project bench/FastPath.Fuzz -- flood [names]</c>: a flood of distinct names through the
/// response cache (CoreDNS's default capacities, 9,984 + 9,984) and the loop detector, with the entry count against
/// its bound and the process's resident memory before and after.
/// </summary>
internal static class Flood
{
    public static int Run(long names)
    {
        var cache = new ResponseCache(new CacheOptions(), TimeProvider.System);
        var loop = new LoopDetector("cluster.local.");
        long rss0 = Resident(), heap0 = GC.GetTotalMemory(true);
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < names; i++)
        {
            var name = $"n{i}.flood.example.";
            var query = DnsWireWriter.Query((ushort)i, name, DnsType.A);
            var m = new DnsMessage { Id = (ushort)i, Question = new DnsQuestion(name, DnsType.A), Rcode = i % 3 == 0 ? Rcode.NXDomain : Rcode.NoError };
            if (i % 3 == 0) m.Authority.Add(new DnsRecord("example.", DnsType.SOA, 300, new SoaData("ns.example.", "hostmaster.example.", 1, 7200, 1800, 86400, 30)));
            else m.Answer.Add(DnsRecord.Address(name, 300, new IPAddress(BitConverter.GetBytes((uint)i))));
            cache.Put(query, DnsWireWriter.Encode(m));
            if (loop.Saw(name)) throw new InvalidOperationException("the loop detector saw a loop in distinct names");
        }
        long rss1 = Resident(), heap1 = GC.GetTotalMemory(true);
        Console.WriteLine($"{names:N0} distinct names in {clock.Elapsed.TotalSeconds:F1} s: cache holds {cache.Count:N0} entries (bound {cache.MaxEntries:N0}), {cache.Evictions:N0} evicted");
        Console.WriteLine($"resident {rss0 / 1048576.0:F1} MiB -> {rss1 / 1048576.0:F1} MiB (+{(rss1 - rss0) / 1048576.0:F1}); managed heap +{(heap1 - heap0) / 1048576.0:F1} MiB after a full GC");
        Console.WriteLine("loop detector: one counter and its probe name, whatever the flood (no per-name or per-client state)");
        return cache.Count <= cache.MaxEntries ? 0 : 1;
    }

    /// <summary>The process's resident memory after a full collection.</summary>
    internal static long Resident()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var p = Process.GetCurrentProcess();
        return p.WorkingSet64;
    }
}
