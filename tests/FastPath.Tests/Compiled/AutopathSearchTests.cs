using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using FastPath.Compiled.Plugins;
using FastPath.Model.Planning;
using Xunit;

namespace FastPath.Tests.Compiled;

/// <summary>
/// autopath's search-path lookup walks only a name's base and asks a try through its base's and suffix's label
/// starts; these pin it to the plain walk of the whole name (what the compiled plugin did before, and what the
/// reference's string code does).
/// </summary>
public class AutopathSearchTests
{
    private static readonly string[] Labels = ["a", "web", "bench", "svc", "pod", "POD", "cluster", "local", "ns-1", "_http", "_tcp", "x1234567890"];

    private static string RandomName(Random rnd, int maxLabels)
    {
        int n = rnd.Next(1, maxLabels + 1);
        return string.Join(".", Enumerable.Range(0, n).Select(_ => Labels[rnd.Next(Labels.Length)]));
    }

    private static List<int> StartsOf(byte[] wire)
    {
        var starts = new List<int>();
        for (int p = 0; p < wire.Length; p += wire[p] + 1) starts.Add(p);
        return starts;
    }

    [Fact]
    public void Base_and_suffix_starts_answer_as_the_whole_name_walked()
    {
        var rnd = new Random(3);
        for (int round = 0; round < 3_000; round++)
        {
            var baseWire = WireNames.Of(RandomName(rnd, 4));
            var suffix = WireNames.Of(rnd.Next(5) == 0 ? "." : RandomName(rnd, 5));
            var name = baseWire.AsSpan(0, baseWire.Length - 1).ToArray().Concat(suffix).ToArray();
            int baseLength = baseWire.Length - 1;
            var whole = StartsOf(name);
            Assert.True(LabelStarts.OfBase(name, baseLength, out var head));
            var tail = LabelStarts.Of(suffix);
            foreach (int offset in whole)
            {
                Assert.Equal(whole.Count(s => s < offset), LabelStarts.CountBelowJoined(head, baseLength, tail, offset));
                int before = whole.LastOrDefault(s => s < offset, -1);
                bool pod = before >= 0 && name[before] == 3 && string.Equals(System.Text.Encoding.ASCII.GetString(name, before + 1, 3), "pod", StringComparison.OrdinalIgnoreCase);
                Assert.Equal(pod, LabelStarts.LabelBeforeIs(name, head, baseLength, tail, offset, "pod"u8));
            }
            // An offset inside a label is no base's end.
            for (int offset = 1; offset < name.Length; offset++)
                if (!whole.Contains(offset)) Assert.False(LabelStarts.OfBase(name, offset, out _));
        }
    }

    [Fact]
    public void Client_table_finds_every_address_and_no_other()
    {
        var rnd = new Random(5);
        var addresses = new List<byte[]>();
        var seen = new HashSet<string>();
        while (addresses.Count < 300)
        {
            var a = new byte[rnd.Next(4) == 0 ? 16 : 4];
            rnd.NextBytes(a);
            if (seen.Add(Convert.ToHexString(a))) addresses.Add(a);
        }
        var table = new ClientTable(addresses);
        for (int i = 0; i < addresses.Count; i++) Assert.Equal(i, table.Find(addresses[i]));
        for (int i = 0; i < 2_000; i++)
        {
            var a = new byte[rnd.Next(2) == 0 ? 16 : 4];
            rnd.NextBytes(a);
            Assert.Equal(seen.Contains(Convert.ToHexString(a)) ? addresses.FindIndex(x => x.AsSpan().SequenceEqual(a)) : -1, table.Find(a));
        }
        Assert.Equal(-1, new ClientTable([]).Find([10, 0, 0, 1]));
    }

    /// <summary>
    /// Zones chosen so that the base-only walk must give way to the whole walk: a kubernetes zone under the client's
    /// <c>NS.svc.ZONE</c>, one equal to it, an autopath zone longer than it, and the usual ones.
    /// </summary>
    [Theory]
    [InlineData(new[] { "." }, new[] { "cluster.local", "in-addr.arpa" })]
    [InlineData(new[] { "." }, new[] { "cluster.local", "bench.svc.cluster.local" })]
    [InlineData(new[] { "." }, new[] { "cluster.local", "web.bench.svc.cluster.local" })]
    [InlineData(new[] { "cluster.local" }, new[] { "local", "cluster.local" })]
    [InlineData(new[] { "web.bench.svc.cluster.local", "example.org" }, new[] { "cluster.local" })]
    [InlineData(new[] { "." }, new[] { "cluster.local", "cluster.local" })]
    public void Search_path_is_found_as_by_walking_the_whole_name(string[] zones, string[] kubernetesZones)
    {
        var plan = new AutopathPlan(zones, kubernetesZones, [new PodAddress("10.0.0.1", "bench"), new PodAddress("fd00::1", "ns-1")]);
        var table = new AutopathTable(plan);
        var rnd = new Random(7);
        var names = new List<string> { "web.bench.svc.cluster.local", "a.web.bench.svc.cluster.local", "WEB.BENCH.Svc.Cluster.Local", "bench.svc.cluster.local",
            "x.ns-1.svc.cluster.local", "web.bench.bench.svc.in-addr.arpa", "a.b.bench.svc.local" };
        for (int i = 0; i < 2_000; i++) names.Add(RandomName(rnd, 4) + "." + (rnd.Next(2) == 0 ? "bench.svc." : "") + kubernetesZones[rnd.Next(kubernetesZones.Length)]);
        foreach (var text in names)
        {
            var name = WireNames.Of(text);
            foreach (var client in new[] { IPAddress.Parse("10.0.0.1"), IPAddress.Parse("fd00::1"), IPAddress.Parse("10.0.0.2") })
            {
                var expected = Walked(name, zones, kubernetesZones, client.ToString() == "10.0.0.1" ? "bench" : client.ToString() == "fd00::1" ? "ns-1" : null);
                var found = table.SearchPath(name, client.GetAddressBytes(), out int baseLength, out var baseStarts);
                Assert.Equal(expected?.Suffix, found is null ? null : System.Text.Encoding.ASCII.GetString(found.Suffixes[0]));
                if (found is null) continue;
                Assert.Equal(expected!.Value.BaseLength, baseLength);
                var whole = StartsOf(name);
                // The base's starts alone: a try puts another suffix after them.
                Assert.Equal(whole.Count(s => s < baseLength), LabelStarts.CountBelowJoined(baseStarts, baseLength, found.Starts[3], baseLength));
                Assert.Equal(whole.Count, LabelStarts.CountBelowJoined(baseStarts, baseLength, found.Starts[0], name.Length));
            }
        }
    }

    /// <summary>The search path as the whole walk finds it: the longest kubernetes zone, then the client's first suffix in it.</summary>
    private static (string Suffix, int BaseLength)? Walked(byte[] name, string[] zones, string[] kubernetesZones, string? ns)
    {
        if (ns is null || !zones.Any(z => WireNames.IsSubdomain(name, WireNames.Of(z)))) return null;
        string? zone = null;
        foreach (var k in kubernetesZones)
            if ((zone is null || WireNames.Of(k).Length > WireNames.Of(zone).Length) && WireNames.IsSubdomain(name, WireNames.Of(k))) zone = k;
        if (zone is null) return null;
        var first = WireNames.Of(ns + ".svc." + (zone == "." ? "" : zone));
        if (name.Length <= first.Length || !WireNames.IsSubdomain(name, first)) return null;
        return (System.Text.Encoding.ASCII.GetString(first), name.Length - first.Length);
    }
}
