using System.IO;
using BenchmarkDotNet.Attributes;
using FastPath.Model;
using FastPath.Model.Diagnostics;
using FastPath.Model.Loading;
using FastPath.TestData;
using YamlDotNet.RepresentationModel;

namespace FastPath.Benchmarks;

/// <summary>
/// Loading manifests into a validated <see cref="Cluster"/> (issue 16 part 4): the synthetic cluster written as YAML
/// and as <c>kubectl get -o json</c> prints it. The baseline is the same load with the fast reader off, so every file
/// is scanned by YamlDotNet as before it existed: "before" and "after" in one run on the same text, which a shared,
/// noisy machine cannot give across runs. The scan-only rows separate the YAML reading from the object readers, and
/// YamlDotNet's representation tree is kept as the yardstick earlier runs were compared with.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessJob.FullBuild))]
public class LoadBenchmarks
{
    private const string Corefile = ".:53 {\n  kubernetes cluster.local in-addr.arpa\n}\n";

    // 10 only completes the cost curve (issue 16 part 6).
    [Params(10, 1_000, 10_000)] public int Services;
    private string _yaml = "", _json = "";

    [GlobalSetup]
    public void Setup() => _yaml = SyntheticCluster.Yaml(Services, 10);

    // Printing the JSON goes through a YamlDotNet tree of the whole cluster: only the JSON row pays for it.
    [GlobalSetup(Target = nameof(LoadJson))]
    public void SetupJson()
    {
        Setup();
        _json = KubectlJson.FromYaml(_yaml);
    }

    [Benchmark(Baseline = true, Description = "load YAML → Cluster, YamlDotNet scan (before)")]
    public int LoadYamlWithYamlDotNet() => LoadParsed(Parse("bench.yaml", _yaml, fastReader: false));

    [Benchmark(Description = "load YAML → Cluster")]
    public int LoadYaml() => Load("bench.yaml", _yaml);

    [Benchmark(Description = "load kubectl JSON → Cluster")]
    public int LoadJson() => Load("bench.json", _json);

    [Benchmark(Description = "scan YAML → trees, YamlDotNet")]
    public int ScanWithYamlDotNet() => Parse("bench.yaml", _yaml, fastReader: false).Documents!.Count;

    [Benchmark(Description = "scan YAML → trees, fast reader")]
    public int ScanFast() => Parse("bench.yaml", _yaml, fastReader: true).Documents!.Count;

    [Benchmark(Description = "YamlDotNet representation tree only (old loader's first half)")]
    public int RepresentationTree()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(_yaml));
        return stream.Documents.Count;
    }

    private static ParsedManifest Parse(string path, string text, bool fastReader)
    {
        var file = new ManifestText(path, text);
        var bag = new DiagnosticBag();
        var documents = ManifestScanner.Scan(file, new ManifestLimits(), bag, fastReader);
        return new ParsedManifest(file, documents ?? throw new InvalidDataException(string.Join("\n", bag.Sorted())), bag.Sorted());
    }

    private static int LoadParsed(ParsedManifest parsed)
    {
        var r = ClusterLoader.LoadParsed([parsed], new LoadOptions { CorefileText = Corefile });
        return r.Cluster?.Services.Count ?? throw new InvalidDataException(string.Join("\n", r.Diagnostics));
    }

    private static int Load(string path, string text)
    {
        var r = ClusterLoader.LoadTexts([new ManifestText(path, text)], new LoadOptions { CorefileText = Corefile });
        return r.Cluster?.Services.Count ?? throw new InvalidDataException(string.Join("\n", r.Diagnostics));
    }
}
