using System;
using System.Linq;
using System.Text;
using FastPath.Compiled;
using FastPath.Dns;
using FastPath.Model;
using FastPath.Model.Corefile.Plugins;
using FastPath.Model.Loading;
using FastPath.Model.Planning;
using FastPath.Model.Tables;
using FastPath.TestData;
using Xunit;

namespace FastPath.Tests.Compiled;

/// <summary>
/// The engine reads generated code's flat index tables in place and a live snapshot's in chunks, each through its own
/// compiled lookup: the same tables in either shape must find the same entries and answers, and flat tables whose
/// lengths would let an unchecked read leave them are refused.
/// </summary>
public class IndexShapeTests
{
    private const string Corefile = ".:53 {\n  kubernetes cluster.local in-addr.arpa\n}\n";

    // 300 Services: more than one 256-unit chunk in every table, so the chunked reads cross chunks.
    private static readonly Lazy<(DnsPlan Plan, CompiledLayout Layout)> Tables = new(() =>
    {
        var cluster = ClusterLoader.LoadTexts([new ManifestText("synthetic.yaml", SyntheticCluster.Yaml(300, 3))], new LoadOptions { CorefileText = Corefile }).Cluster!;
        var plan = DnsPlanner.Plan(cluster);
        return (plan, CompiledLayout.Build(plan));
    });

    private static CompiledDns Engine(CompiledLayout l, bool chunked, Func<byte[], byte[]>? slots = null) => new(new CompiledDnsData
    {
        Keys = l.Keys, Sets = l.Sets, Answers = l.Answers, AnswerData = l.AnswerData, RecordOffsets = l.RecordOffsets, Fixups = l.Fixups, DottedKeys = l.DottedKeys,
        Entries = l.Entries, Displacements = l.Displacements, Slots = (slots ?? (s => s))(l.Slots), DottedDisplacements = l.DottedDisplacements, DottedSlots = l.DottedSlots,
        Index = chunked ? Chunks(l) : null,
        Zones = [], Routes = [], Fallthrough = [], PodMode = PodMode.Disabled,
    });

    /// <summary>The layout's index cut into chunks, as a snapshot holds it.</summary>
    private static SegmentedIndex Chunks(CompiledLayout l) =>
        new(l.EntryCount, SegmentedIndex.Split(l.Entries, CompiledLayout.EntrySize),
            l.Displacements.Length / NameHash.DisplacementSize, SegmentedIndex.Split(l.Displacements, NameHash.DisplacementSize),
            l.Slots.Length / SlotUnit.Size, SegmentedIndex.Split(l.Slots, SlotUnit.Size),
            l.DottedDisplacements.Length / NameHash.DisplacementSize, SegmentedIndex.Split(l.DottedDisplacements, NameHash.DisplacementSize),
            l.DottedSlots.Length / SlotUnit.Size, SegmentedIndex.Split(l.DottedSlots, SlotUnit.Size));

    [Fact]
    public void Flat_and_chunked_tables_find_every_name_and_answer_alike()
    {
        var (plan, layout) = Tables.Value;
        CompiledDns flat = Engine(layout, chunked: false), chunked = Engine(layout, chunked: true);
        Assert.True(plan.Entries.Count > 2 * SegmentedIndex.UnitsPerChunk);
        Assert.Equal(plan.Entries.Count, flat.NameCount);
        Assert.Equal(plan.Entries.Count, chunked.NameCount);
        for (int i = 0; i < plan.Entries.Count; i++)
        {
            string name = plan.Entries[i].Name;
            var wire = WireEncoder.Name(name);
            Assert.Equal(i, flat.FindEntry(wire));
            Assert.Equal(i, chunked.FindEntry(wire));
            var dotted = Encoding.ASCII.GetBytes(name.ToUpperInvariant());
            foreach (var t in new[] { DnsType.A, DnsType.AAAA, DnsType.SRV, DnsType.PTR, DnsType.TXT })
            {
                int answer = flat.LookupAnswer(dotted, t);
                Assert.True(answer >= 0, $"{name} {t}");
                Assert.Equal(answer, chunked.LookupAnswer(dotted, t));
            }
        }
        foreach (var miss in new[] { "nope.ns-0.svc.cluster.local", "svc-1.ns-0.svc.cluster.loca", "svc-1.ns-0.svc.cluster.localx", "" })
        {
            Assert.Equal(-1, flat.LookupAnswer(Encoding.ASCII.GetBytes(miss), DnsType.A));
            Assert.Equal(-1, chunked.LookupAnswer(Encoding.ASCII.GetBytes(miss), DnsType.A));
        }
    }

    // A flat table is read without bounds checks, its index masked to the table's unit count: a count that is not a
    // power of two would let the mask reach past the end.
    [Fact]
    public void Flat_slots_that_are_not_a_power_of_two_are_refused()
    {
        var layout = Tables.Value.Layout;
        var ex = Assert.Throws<ArgumentException>(() => Engine(layout, chunked: false, s => s.AsSpan(0, s.Length - SlotUnit.Size).ToArray()));
        Assert.Contains("slot table", ex.Message);
        Assert.Equal(Tables.Value.Plan.Entries.Count, Engine(layout, chunked: true, s => s.AsSpan(0, s.Length - SlotUnit.Size).ToArray()).NameCount);
    }
}
