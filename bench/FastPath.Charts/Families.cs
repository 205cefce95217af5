using FastPath.Charts.Parsing;

namespace FastPath.Charts;

/// <summary>
/// The cost curves issue 16 part 6 asks for, one SVG each: FastPath's line next to the baselines measured in the same
/// benchmark class. Methods are named as their [Benchmark(Description)] reads in the CSV.
/// </summary>
internal static class Families
{
    private const string ClusterIp = "Name=ClusterIP";

    public static readonly ChartFamily[] All =
    [
        new("lookup.svg", "Name lookup: a ClusterIP name as UTF-8 bytes → its A answer",
        [
            new("NameLookupBenchmarks", "FastPath generated", ClusterIp, "FastPath generated tables"),
            new("NameLookupBenchmarks", "FrozenDictionary span lookup", ClusterIp, "FrozenDictionary, span lookup (baseline)"),
            new("NameLookupBenchmarks", "Dictionary (string key)", ClusterIp, "Dictionary, string key"),
            new("NameLookupBenchmarks", "Reference interpreter", ClusterIp, "reference interpreter (scans the model)"),
        ]),
        new("response.svg", "Whole DNS response: parse the query, answer, write the response",
        [
            new("MessageBenchmarks", "FastPath generated: Respond", Label: "FastPath generated: Respond"),
            new("MessageBenchmarks", "ARSoft.Tools.Net: parse + answer + encode", Label: "ARSoft.Tools.Net: parse + answer + encode (baseline)"),
            new("MessageBenchmarks", "Reference: read + resolve + encode", Label: "reference: read + interpreter + write"),
        ]),
        new("plan.svg", "Plan: ClusterPlan.Build (names, answers, tables)",
        [
            new("GeneratorCostBenchmarks", "plan", Label: "plan"),
        ]),
        new("emit.svg", "Emit: the generator's C# source from a plan",
        [
            new("GeneratorCostBenchmarks", "emit (source length)", Label: "emit"),
        ]),
        new("build.svg", "Build: from a loaded cluster to tables that answer",
        [
            new("GeneratorCostBenchmarks", "plan + emit (source length)", Label: "plan + emit (generator)"),
            new("GeneratorCostBenchmarks", "plan + emit + Roslyn compile", Label: "plan + emit + Roslyn compile (run-time compiler)"),
            new("LiveFullBuildBenchmarks", "full snapshot build", Label: "live snapshot, full build (no Roslyn)"),
        ]),
        new("snapshot-update.svg", "Snapshot update: one EndpointSlice change published vs a full rebuild",
        [
            new("LiveSnapshotBenchmarks", "one EndpointSlice change published", Label: "one EndpointSlice change, incremental"),
            new("LiveFullBuildBenchmarks", "full snapshot build", Label: "full snapshot build (baseline)"),
        ]),
        new("load.svg", "Load: manifests → validated Cluster",
        [
            new("LoadBenchmarks", "load YAML → Cluster", Label: "load YAML → Cluster"),
            new("LoadBenchmarks", "load kubectl JSON → Cluster", Label: "load kubectl JSON → Cluster"),
            new("LoadBenchmarks", "YamlDotNet representation tree only (old loader's first half)", Label: "YamlDotNet representation tree only (baseline)"),
        ]),
    ];
}
