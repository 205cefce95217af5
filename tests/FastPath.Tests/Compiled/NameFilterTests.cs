using System;
using System.Linq;
using System.Net;
using System.Text;
using FastPath.Compiled;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Live;
using FastPath.Model;
using FastPath.Model.Corefile.Plugins;
using FastPath.Model.Loading;
using FastPath.Model.Planning;
using FastPath.Model.Tables;
using FastPath.TestData;
using Xunit;

namespace FastPath.Tests.Compiled;

/// <summary>
/// autopath's probes ask the index's <see cref="NameFilter"/> before the perfect hash: it may rule a name out only
/// when no entry holds it, in a snapshot's chunks, in the table the engine makes from generated code's keys, and
/// after a live update has added names.
/// </summary>
public class NameFilterTests
{
    private const string Corefile = ".:53 {\n  autopath @kubernetes\n  kubernetes cluster.local in-addr.arpa {\n    pods verified\n  }\n}\n";

    private const string Client = "apiVersion: v1\nkind: Pod\nmetadata: {name: client, namespace: ns-1}\nspec: {nodeName: n1}\n" +
        "status: {phase: Running, podIP: \"10.250.0.9\", conditions: [{type: Ready, status: \"True\"}]}\n";

    // 300 Services: more than one 256-word chunk of filter, so words in several chunks are read.
    private static readonly Lazy<(DnsPlan Plan, CompiledLayout Layout)> Tables = new(() =>
    {
        var cluster = ClusterLoader.LoadTexts([new ManifestText("synthetic.yaml", SyntheticCluster.Yaml(300, 3)), new ManifestText("client.yaml", Client)],
            new LoadOptions { CorefileText = Corefile }).Cluster!;
        var plan = DnsPlanner.Plan(cluster);
        return (plan, CompiledLayout.Build(plan));
    });

    /// <summary>The engine over generated code's flat tables, which carry no filter: it makes one from the keys.</summary>
    private static CompiledDns Flat(DnsPlan plan, CompiledLayout l) => new(new CompiledDnsData
    {
        Keys = l.Keys, Sets = l.Sets, Answers = l.Answers, AnswerData = l.AnswerData, RecordOffsets = l.RecordOffsets, Fixups = l.Fixups, DottedKeys = l.DottedKeys,
        Entries = l.Entries, Displacements = l.Displacements, Slots = l.Slots, DottedDisplacements = l.DottedDisplacements, DottedSlots = l.DottedSlots,
        Zones = [], Routes = [], Fallthrough = [], PodMode = PodMode.Disabled,
        Plugins = FastPath.Compiled.Plugins.CompiledPlugins.FromPlan(plan.Plugins!),
    });

    /// <summary>A name in wire form with its letters upper-cased: the filter folds case as the hash does.</summary>
    private static byte[] Shouted(string name) => WireEncoder.Name(name.ToUpperInvariant());

    [Fact]
    public void Every_name_the_tables_hold_may_be_held_and_most_search_path_misses_are_ruled_out()
    {
        var (plan, layout) = Tables.Value;
        var snapshot = ClusterSnapshot.DnsOf(SnapshotTables.Build(plan), plan);
        var flat = Flat(plan, layout);
        Assert.True(plan.Entries.Count / 8 > 2 * SegmentedIndex.UnitsPerChunk, "the filter spans several chunks");
        foreach (var e in plan.Entries)
        {
            Assert.True(snapshot.MayHold(Shouted(e.Name)), e.Name);
            Assert.True(flat.MayHold(Shouted(e.Name)), e.Name);
        }
        // What a search path makes of another namespace's Service asked from ns-1: no entry, and almost always ruled out.
        int misses = 0, ruledOutSnapshot = 0, ruledOutFlat = 0;
        foreach (var name in plan.Entries.Select(e => e.Name.TrimEnd('.')).Where(n => n.EndsWith(".svc.cluster.local", StringComparison.Ordinal) && n.Count(c => c == '.') == 4))
        {
            var tried = Shouted(name.Replace(".svc.cluster.local", ".ns-1.svc.cluster.local"));
            Assert.True(snapshot.FindEntry(tried) < 0);
            misses++;
            if (!snapshot.MayHold(tried)) ruledOutSnapshot++;
            if (!flat.MayHold(tried)) ruledOutFlat++;
        }
        Assert.True(misses >= 300, $"{misses} misses tried");
        Assert.True(ruledOutSnapshot >= misses * 9 / 10, $"{ruledOutSnapshot} of {misses} ruled out by the snapshot's filter");
        Assert.True(ruledOutFlat >= misses * 9 / 10, $"{ruledOutFlat} of {misses} ruled out by the flat filter");
    }

    [Fact]
    public void Names_too_short_to_key_are_never_ruled_out()
    {
        var (plan, layout) = Tables.Value;
        var flat = Flat(plan, layout);
        foreach (var name in new[] { ".", "a", "ab.c", "abcde" })
        {
            var wire = WireEncoder.Name(name);
            Assert.True(wire.Length < NameFilter.MinLength);
            Assert.True(flat.MayHold(wire), name);
        }
        // No filter (an index built before there was one): nothing is ruled out.
        Assert.True(NameFilter.MayHold([], WireEncoder.Name("nothing.here.at.all")));
    }

    [Fact]
    public void A_Service_added_live_is_answered_by_autopaths_first_try_and_by_its_second()
    {
        using var live = new LiveCluster(new LiveClusterOptions { Debounce = TimeSpan.Zero, Load = new LoadOptions { CorefileText = Corefile } });
        live.Upsert(new ObjectKey("Pod", "ns-1", "client"), Client);
        for (int i = 0; i < 40; i++)
            live.Upsert(new ObjectKey("Service", "ns-1", $"svc-{i}"),
                $"apiVersion: v1\nkind: Service\nmetadata: {{name: svc-{i}, namespace: ns-1}}\nspec: {{clusterIP: 10.96.1.{i + 1}, ports: [{{name: http, port: 80}}]}}\n");
        live.MarkSynced();
        var before = live.Current!;
        var client = IPAddress.Parse("10.250.0.9");
        // Asked in place (the first try is the question) and through the search path (a miss, then the Service).
        var inPlace = new DnsQuery("added.ns-1.svc.cluster.local", DnsType.A, client);
        var searched = new DnsQuery("added.ns-1.ns-1.svc.cluster.local", DnsType.A, client);
        // Every try is NXDOMAIN but the bare name's, which nothing after kubernetes answers.
        Assert.Empty(before.Dns.Resolve(inPlace).Response.Answer);
        Assert.Empty(before.Dns.Resolve(searched).Response.Answer);

        var builds = live.Builds;
        live.Upsert(new ObjectKey("Service", "ns-1", "added"),
            "apiVersion: v1\nkind: Service\nmetadata: {name: added, namespace: ns-1}\nspec: {clusterIP: 10.96.2.1, ports: [{name: http, port: 80}]}\n");
        var after = live.Current!;
        Assert.True(live.Builds.Incremental > builds.Incremental, "the Service was added by an incremental update");
        Assert.True(after.Dns.MayHold(Shouted("added.ns-1.svc.cluster.local")));

        var full = ClusterSnapshot.Build(live.Model());
        byte[] wantBytes = new byte[512], gotBytes = new byte[512], clientBytes = client.GetAddressBytes();
        foreach (var q in new[] { inPlace, searched })
        {
            var answer = after.Dns.Resolve(q).Response;
            Assert.Equal(Rcode.NoError, answer.Rcode);
            Assert.Equal(new AddressData(IPAddress.Parse("10.96.2.1")), answer.Answer.Last().Data);
            Assert.Equal(q == inPlace ? 1 : 2, answer.Answer.Count); // the search path's hit comes behind autopath's CNAME
            var wire = DnsWireWriter.Query(7, q.Name, q.Type, true);
            int want = full.Dns.Respond(wire, wantBytes, clientBytes, out _, out _), got = after.Dns.Respond(wire, gotBytes, clientBytes, out _, out _);
            Assert.Equal(Convert.ToHexString(wantBytes, 0, want), Convert.ToHexString(gotBytes, 0, got));
        }
        // The snapshot taken before the update still answers as it did.
        Assert.Empty(before.Dns.Resolve(inPlace).Response.Answer);
    }
}
