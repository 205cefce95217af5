using System;
using System.Buffers.Binary;
using System.Linq;
using System.Text;
using FastPath.Model;
using FastPath.Model.Planning;
using FastPath.Model.Tables;
using FastPath.TestData;
using FastPath.Tests.Properties;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace FastPath.Tests.Planning;

/// <summary>
/// A big cluster's names are planned by two planners on two threads, the second's answers appended to the first's:
/// every name must get, class for class, the answer a single planner gives it, and the store's dedup index must keep
/// finding the appended answers (a live update adds to the same store).
/// </summary>
public class SplitPlanTests
{
    private const string Zones = ".:53 {\n  kubernetes cluster.local in-addr.arpa ip6.arpa example.org {\n    pods verified\n  }\n}\n";

    /// <summary>The synthetic cluster, plus Services late in the order that share addresses with early ones and pods:
    /// reverse names met by both planners, and names after the last Service.</summary>
    private static string Yaml()
    {
        var sb = new StringBuilder(SyntheticCluster.Yaml(60, 3));
        for (int i = 0; i < 3; i++)
        {
            sb.Append($"---\napiVersion: v1\nkind: Service\nmetadata: {{name: zz-{i}, namespace: ns-0}}\nspec:\n  clusterIP: None\n  ports:\n  - {{name: http, port: 80}}\n");
            sb.Append($"---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {{name: zz-{i}-1, namespace: ns-0, labels: {{kubernetes.io/service-name: zz-{i}}}}}\naddressType: IPv4\nports:\n- {{name: http, port: 80, protocol: TCP}}\nendpoints:\n");
            sb.Append($"- {{addresses: [10.128.0.{i}], hostname: web-{i}, conditions: {{ready: true}}}}\n- {{addresses: [10.128.0.{i + 1}], conditions: {{ready: true}}}}\n");
            sb.Append($"---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p-{i}, namespace: ns-0}}\nstatus: {{phase: Running, podIP: 10.128.0.{i}, podIPs: [{{ip: 10.128.0.{i}}}]}}\n");
        }
        return sb.ToString();
    }

    [Fact]
    public void A_split_plan_gives_every_name_the_single_planners_answers()
    {
        var cluster = TestClusters.Load(Yaml(), Zones);
        var cut = DnsPlanner.SplitPointOf(cluster, splitFrom: 1);
        Assert.NotNull(cut);
        Assert.InRange(cut!.Value.Service, 1, cluster.Services.Count - 1); // inside the Services: both planners have work
        var one = DnsPlanner.Plan(cluster, null, int.MaxValue);
        var two = DnsPlanner.Plan(cluster, null, splitFrom: 1);
        Assert.Equal(Describe(one), Describe(two));
        Assert.True(two.Store.Count > one.Store.Count, "the second planner's answers are appended, not merged");
    }

    [Fact]
    public void Appended_answers_are_found_by_later_adds()
    {
        var (x, y) = (Answer(1), Answer(2));
        var a = new AnswerStore();
        Add(a, x);
        var b = new AnswerStore();
        Add(b, y);
        Add(b, x);
        Assert.Equal(1, a.Append(b));
        Assert.Equal(3, a.Count);
        Assert.Equal(1, Add(a, y));                 // y lives only where b's answers were appended
        Assert.Equal(3, a.Count);
        Assert.Equal(3, Add(a, Answer(3)));         // a new answer still gets the next id
        Assert.Equal(Decode(b.Rows(), b.Data(), b.Offsets(), b.Fixups(), 0), Decode(a.Rows(), a.Data(), a.Offsets(), a.Fixups(), 1));
        Assert.Equal(Decode(b.Rows(), b.Data(), b.Offsets(), b.Fixups(), 1), Decode(a.Rows(), a.Data(), a.Offsets(), a.Fixups(), 2));
    }

    [Fact]
    public void Appending_many_answers_grows_the_index()
    {
        var a = new AnswerStore();
        var b = new AnswerStore();
        for (int i = 0; i < 300; i++) Add(b, Answer(i));
        Assert.Equal(0, a.Append(b));
        for (int i = 0; i < 300; i++) Assert.Equal(i, Add(a, Answer(i)));
        Assert.Equal(300, a.Count);
    }

    /// <summary>An answer with one record of <paramref name="n"/>'s bytes and a fixup inside it.</summary>
    private static byte[] Answer(int n) => [0xC0, 0x0C, 0, 1, 0, 1, (byte)n, (byte)(n >> 8)];

    private static int Add(AnswerStore s, byte[] bytes) =>
        s.Add(new AnswerStore.Header(0, 1, 0, 0, 0, 0, 0, 0), bytes, [0, bytes.Length], [bytes.Length - 2]);

    [Fact]
    public void A_small_cluster_is_planned_by_one_planner() =>
        Assert.Null(DnsPlanner.SplitPointOf(TestClusters.Load(Yaml(), Zones), splitFrom: 1_000_000));

    [Fact]
    public void Split_plans_match_on_random_clusters() =>
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(40).WithQuietOnSuccess(true), Prop.ForAll(ClusterGenerators.ArbitraryClusters, spec =>
        {
            var cluster = CompiledMatchesReferenceProperties.Load(spec);
            string one = Describe(DnsPlanner.Plan(cluster, null, int.MaxValue)), two = Describe(DnsPlanner.Plan(cluster, null, splitFrom: 1));
            if (one != two) throw new Exception("the split plan differs:\n" + spec.Yaml() + "\n" + spec.Corefile.Text());
        }));

    [Fact]
    public void The_flat_layout_is_the_same_with_its_dotted_hash_built_on_another_thread()
    {
        var plan = DnsPlanner.Plan(TestClusters.Load(Yaml(), Zones), null, int.MaxValue);
        var one = CompiledLayout.Build(plan, parallelFrom: int.MaxValue);
        var two = CompiledLayout.Build(plan, parallelFrom: 1);
        Assert.NotEmpty(one.DottedSlots);
        Assert.Equal(one.Displacements, two.Displacements);
        Assert.Equal(one.Slots, two.Slots);
        Assert.Equal(one.DottedDisplacements, two.DottedDisplacements);
        Assert.Equal(one.DottedSlots, two.DottedSlots);
        Assert.Equal(one.Keys, two.Keys);
        Assert.Equal(one.Entries, two.Entries);
    }

    /// <summary>Every entry of a plan in order, with each class's answer written out (rcode, counts, bytes, record starts, fixups).</summary>
    private static string Describe(DnsPlan p)
    {
        var (rows, data, offsets, fixups) = (p.Store.Rows(), p.Store.Data(), p.Store.Offsets(), p.Store.Fixups());
        var ids = new int[CompiledLayout.ClassCount];
        var sb = new StringBuilder();
        foreach (var e in p.Entries)
        {
            sb.Append(e.Name).Append(' ').Append(e.Zone).Append(' ').Append(e.Flags).Append(' ').Append(e.Source).Append('\n');
            p.Sets.Read(e.Set, ids);
            foreach (var id in ids) sb.Append("  ").Append(Decode(rows, data, offsets, fixups, id)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>One answer of a store's buffers, as <see cref="CompiledLayout"/>'s 32-byte row describes it, without its positions.</summary>
    private static string Decode(byte[] rows, byte[] data, byte[] offsets, byte[] fixups, int id)
    {
        var row = rows.AsSpan(id * CompiledLayout.AnswerSize, CompiledLayout.AnswerSize);
        int U16(int at) => BinaryPrimitives.ReadUInt16LittleEndian(rows.AsSpan(id * CompiledLayout.AnswerSize + at));
        int I32(byte[] b, int at) => BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(at));
        int records = U16(8) + U16(10) + U16(12) + 1, fixupCount = U16(22);
        int offsetsAt = I32(rows, id * CompiledLayout.AnswerSize + 24), fixupsAt = I32(rows, id * CompiledLayout.AnswerSize + 28);
        var starts = Enumerable.Range(0, records).Select(i => I32(offsets, (offsetsAt + i) * 4));
        var fix = Enumerable.Range(0, fixupCount).Select(i => I32(fixups, (fixupsAt + i) * 4));
        return $"{Convert.ToHexString(row.Slice(4, 20))} {Convert.ToHexString(data.AsSpan(I32(rows, id * CompiledLayout.AnswerSize), U16(4)))} [{string.Join(",", starts)}] [{string.Join(",", fix)}]";
    }
}
