using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using FastPath.Dns;
using FastPath.Model;
using FastPath.Model.Loading;
using FastPath.Model.Net;
using FastPath.Reference.Dns;

namespace FastPath.Tests.Reference;

/// <summary>One row of Fixtures/dns-cases.txt: the query and the whole response it must get.</summary>
public sealed record DnsCase(string Corefile, int Line, string Name, DnsType Type, IPAddress? Client, string Rcode, bool Aa,
    IReadOnlyList<string> Upstreams, IReadOnlyList<string> Answer, IReadOnlyList<string> Authority, IReadOnlyList<string> Additional)
{
    public override string ToString() => $"{Corefile}:{Line} {Name} {Type}";
}

/// <summary>Reads the case table and the clusters it names; compares responses as normalised record text.</summary>
public static class DnsCaseTable
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Reference", "Fixtures");
    private static readonly ConcurrentDictionary<string, Cluster> Clusters = new();

    public static (Dictionary<string, string> Corefiles, List<DnsCase> Cases) Read()
    {
        var lines = File.ReadAllLines(Path.Combine(Dir, "dns-cases.txt"));
        var corefiles = new Dictionary<string, string>();
        var cases = new List<DnsCase>();
        string current = "";
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("@corefile ", StringComparison.Ordinal))
            {
                current = line.Substring(10).Trim();
                var body = new List<string>();
                while (lines[++i] != "@end") body.Add(lines[i]);
                corefiles[current] = string.Join("\n", body) + "\n";
                continue;
            }
            if (!line.StartsWith("? ", StringComparison.Ordinal)) continue;
            int start = i + 1;
            var q = line.Substring(2).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            DnsNaming.TryParseType(q[1], out var type);
            IPAddress? client = q.Skip(2).Where(a => a.StartsWith("client=", StringComparison.Ordinal)).Select(a => IPAddress.Parse(a.Substring(7))).FirstOrDefault();
            var result = lines[++i].Substring(2).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var an = new List<string>(); var ns = new List<string>(); var ad = new List<string>();
            while (i + 1 < lines.Length && lines[i + 1].Length > 3 && lines[i + 1][2] == ' ' && lines[i + 1].Substring(0, 2) is "an" or "ns" or "ad")
            {
                var rec = lines[++i];
                var text = Expand(rec.Substring(3));
                (rec.Substring(0, 2) switch { "an" => an, "ns" => ns, _ => ad }).Add(text);
            }
            bool forward = result[0] == "FORWARD";
            cases.Add(new DnsCase(current, start, q[0], type, client, forward ? "FORWARD" : result[0], result.Contains("aa"),
                forward ? result.Skip(1).ToList() : [], an, ns, ad));
        }
        return (corefiles, cases);
    }

    /// <summary>"SOA zone ttl" is CoreDNS's SOA for that zone and ttl: TTL min(ttl,300), minimum ttl.</summary>
    private static string Expand(string rec)
    {
        var f = rec.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f[0] == "SOA")
        {
            int ttl = int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture);
            return $"{f[1]} {Math.Min(ttl, 300)} IN SOA ns.dns.{f[1]} hostmaster.{f[1]} SERIAL 7200 1800 86400 {ttl}";
        }
        return Normalize(rec);
    }

    private static readonly Regex SoaSerial = new(@"(IN SOA \S+ \S+ )\d+", RegexOptions.CultureInvariant);

    /// <summary>Single spaces between fields; the SOA serial (a hash of the manifests) is not compared.</summary>
    public static string Normalize(string record) =>
        SoaSerial.Replace(Regex.Replace(record.Trim(), @"\s+", " "), "${1}SERIAL");

    public static Cluster ClusterFor(string corefileName, string corefileText) =>
        Clusters.GetOrAdd(corefileName, _ =>
        {
            var r = ClusterLoader.LoadPaths([Path.Combine(Dir, "cluster.yaml")], new LoadOptions { CorefileText = corefileText });
            return r.Cluster ?? throw new InvalidOperationException("fixture does not load:\n" + string.Join("\n", r.Diagnostics));
        });
}
