using System.IO;
using BenchmarkDotNet.Attributes;
using FastPath.Model;
using FastPath.Model.Loading;
using FastPath.TestData;
using YamlDotNet.RepresentationModel;

namespace FastPath.Benchmarks;

/// <summary>
/// Loading manifests into a validated <see cref="Cluster"/> (issue 16 part 4): the synthetic cluster written as YAML
/// and as <c>kubectl get -o json</c> prints it. The baseline is YamlDotNet's representation tree of the same YAML,
/// the part of the old loader that built a node tree before any object was read (the old loader paid it on top of
/// its event scan and its readers).
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
    public void Setup()
    {
        _yaml = SyntheticCluster.Yaml(Services, 10);
        _json = KubectlJson.FromYaml(_yaml);
    }

    [Benchmark(Baseline = true, Description = "YamlDotNet representation tree only (old loader's first half)")]
    public int RepresentationTree()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(_yaml));
        return stream.Documents.Count;
    }

    [Benchmark(Description = "load YAML → Cluster")]
    public int LoadYaml() => Load("bench.yaml", _yaml);

    [Benchmark(Description = "load kubectl JSON → Cluster")]
    public int LoadJson() => Load("bench.json", _json);

    private static int Load(string path, string text)
    {
        var r = ClusterLoader.LoadTexts([new ManifestText(path, text)], new LoadOptions { CorefileText = Corefile });
        return r.Cluster?.Services.Count ?? throw new InvalidDataException(string.Join("\n", r.Diagnostics));
    }
}
