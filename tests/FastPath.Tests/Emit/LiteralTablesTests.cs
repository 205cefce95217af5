using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using FastPath.Compiled;
using FastPath.Compiler;
using FastPath.Model;
using FastPath.Model.Emit;
using FastPath.Model.Loading;
using FastPath.Model.Planning;
using FastPath.Reference.DataPlane;
using FastPath.TestData;
using FastPath.Tests.Compiled;
using Xunit;

namespace FastPath.Tests.Emit;

/// <summary>
/// The generator's form of the output (tables as literals in the source, not resources), compiled and loaded: every
/// table the engine reads is the planner's, byte for byte, and the data plane and environment decide as the reference.
/// </summary>
public class LiteralTablesTests
{
    // The demo's tables are all plain words; 400 Services make tables over TableSink.DeflateFrom, so some are deflated.
    public static TheoryData<string> Clusters => new() { "demo", "synthetic" };

    private static Cluster Load(string name) => name == "demo"
        ? ClusterLoader.LoadPaths([TestClusters.DemoPath]).Cluster!
        : ClusterLoader.LoadTexts([new ManifestText("synthetic.yaml", SyntheticCluster.Yaml(400, 3))], new LoadOptions()).Cluster!;

    [Theory]
    [MemberData(nameof(Clusters))]
    public void Literal_tables_compile_to_the_planned_bytes(string name)
    {
        var cluster = Load(name);
        var plan = ClusterPlan.Build(cluster, null);
        var source = ClusterEmitter.Emit(new EmitRequest { Namespace = "FastPath.LiteralTest", ClassName = "C", Accessibility = "public", Plan = plan });
        Assert.Equal(name == "synthetic", source.Contains("AnswerData = Inflate(AnswerDataTable, ", System.StringComparison.Ordinal));
        var context = new AssemblyLoadContext("literal-tables", isCollectible: true);
        try
        {
            var type = context.LoadFromStream(new MemoryStream(ClusterCompiler.Build(source))).GetType("FastPath.LiteralTest.C", throwOnError: true)!;
            var dns = (CompiledDns)type.GetProperty("Dns")!.GetValue(null)!;
            var data = (CompiledDnsData)typeof(CompiledDns).GetField("_d", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(dns)!;
            var layout = plan.DnsTables;
            var want = new[] { layout.Keys, layout.Entries, layout.Sets, layout.Answers, layout.AnswerData, layout.RecordOffsets, layout.Fixups,
                layout.Displacements, layout.Slots, layout.DottedKeys, layout.DottedDisplacements, layout.DottedSlots };
            var got = new[] { data.Keys, data.Entries, data.Sets, data.Answers, data.AnswerData, data.RecordOffsets, data.Fixups,
                data.Displacements, data.Slots, data.DottedKeys, data.DottedDisplacements, data.DottedSlots };
            for (int i = 0; i < want.Length; i++) Assert.Equal(want[i], got[i]);

            CompiledDataPlaneDifferentialTests.AssertSameDecisions(cluster, (CompiledDataPlane)type.GetProperty("DataPlane")!.GetValue(null)!);
            var environment = type.GetMethod("Environment")!;
            foreach (var ns in cluster.Namespaces)
                Assert.Equal(ServiceEnvironment.For(cluster, ns),
                    (IReadOnlyList<KeyValuePair<string, string>>)environment.Invoke(null, [ns, true])!);
        }
        finally { context.Unload(); }
    }
}
