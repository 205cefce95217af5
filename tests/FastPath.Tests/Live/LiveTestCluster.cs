using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Live;
using FastPath.Model.Planning;

namespace FastPath.Tests.Live;

/// <summary>Helpers for live-cluster tests: manifests split into API objects, and snapshot comparison.</summary>
internal static partial class LiveTestCluster
{
    [GeneratedRegex(@"kind: (\w+)")]
    private static partial Regex KindPattern();

    [GeneratedRegex(@"metadata: \{name: ([^,}]+)(?:, namespace: ([^,}]+))?")]
    private static partial Regex MetaPattern();

    /// <summary>Splits flow-style manifests (one `metadata: {name, namespace}` per document) into objects by key.</summary>
    public static Dictionary<ObjectKey, string> Objects(string yaml)
    {
        var result = new Dictionary<ObjectKey, string>();
        foreach (var doc in yaml.Split("---\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var kind = KindPattern().Match(doc).Groups[1].Value;
            var m = MetaPattern().Match(doc);
            if (kind.Length == 0 || !m.Success) throw new ArgumentException("not a flow-style object: " + doc);
            result[new ObjectKey(kind, m.Groups[2].Value, m.Groups[1].Value)] = doc;
        }
        return result;
    }

    private static readonly DnsType[] Types = [DnsType.A, DnsType.AAAA, DnsType.SRV, DnsType.PTR, DnsType.TXT, DnsType.SOA, DnsType.NS, DnsType.CNAME, DnsType.MX];

    /// <summary>
    /// The first difference between two snapshots' DNS responses (byte for byte, over every name a full build of
    /// <paramref name="expected"/>'s model plans and <paramref name="extra"/> names, in two spellings), data-plane
    /// decisions or kubelet variables; null when they agree.
    /// </summary>
    public static string? FirstDifference(ClusterSnapshot expected, ClusterSnapshot actual, IEnumerable<string> extra)
    {
        var names = DnsPlanner.Plan(expected.Cluster!).Entries.Select(e => e.Name).Concat(extra).Distinct().ToList();
        var a = new byte[65535];
        var b = new byte[65535];
        foreach (var name in names)
            foreach (var spelled in new[] { name, name.ToUpperInvariant() })
                foreach (var t in Types)
                {
                    var q = DnsWireWriter.Query(7, spelled, t, true);
                    int la = expected.Dns.Respond(q, a, out var oa, out _), lb = actual.Dns.Respond(q, b, out var ob, out _);
                    if (oa != ob || !a.AsSpan(0, la).SequenceEqual(b.AsSpan(0, lb)))
                        return $"{spelled} {t}: full build {Convert.ToHexString(a, 0, la)}, live {Convert.ToHexString(b, 0, lb)}";
                }
        var want = Describe(expected);
        var got = Describe(actual);
        if (want != got) return $"data plane differs:\n--- full build\n{want}\n--- live\n{got}";
        // Every namespace, default, and one without objects (the master Service's variables alone), with and without links.
        foreach (var ns in expected.Cluster!.Namespaces.Append("default").Append("no-such-namespace"))
            foreach (var links in new[] { true, false })
            {
                string Vars(ClusterSnapshot s) => string.Join("\n", s.Environment.For(ns, links).Select(v => v.Key + "=" + v.Value));
                if (Vars(expected) != Vars(actual)) return $"variables of {ns} (links {links}) differ:\n--- full build\n{Vars(expected)}\n--- live\n{Vars(actual)}";
            }
        return null;
    }

    /// <summary>Every port with its endpoints and the decision for no node, n1, n2 and node-1, internal and external.</summary>
    public static string Describe(ClusterSnapshot s) => string.Join("\n", s.DataPlane.Ports.Select(p =>
        $"{p.Namespace}/{p.Service}/{p.Port.ToString(CultureInfo.InvariantCulture)} {p.Scheduler} {p.AffinityTimeoutSeconds.ToString(CultureInfo.InvariantCulture)} [{string.Join(",", p.Endpoints)}] " +
        string.Join(" ", new string?[] { null, "n1", "n2", "node-1" }.SelectMany(n => new[] { false, true }.Select(ext => Decision(p, n, ext))))));

    private static string Decision(FastPath.Compiled.ServicePortHandle p, string? node, bool external)
    {
        try
        {
            var d = p.Decide(node, external);
            return $"{d.Action}:{string.Join(",", d.Eligible.Select(i => p.Endpoints[i]))}";
        }
        catch (InvalidOperationException) { return "unreachable"; }
    }
}
