using System.Linq;
using System.Net;
using BenchmarkDotNet.Attributes;
using FastPath.Compiled;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Live;
using FastPath.Model;
using FastPath.Model.Loading;

namespace FastPath.Benchmarks;

/// <summary>
/// A whole response through the compiled serving plugins (issue #16 part 3: ≤ 2× a plain lookup, 0 B): the same
/// 1,000-Service cluster with a kubernetes-only Corefile (the baseline) and with rewrite + autopath + hosts, both
/// built in memory by <see cref="ClusterSnapshot.Build"/>.
/// </summary>
[MemoryDiagnoser]
public class PluginBenchmarks
{
    private const string Plugins = ".:53 {\n  rewrite name exact alias.bench.svc.cluster.local. web.bench.svc.cluster.local.\n" +
        "  autopath @kubernetes\n  hosts {\n    192.168.1.10 gateway.cluster.local\n    fallthrough\n  }\n" +
        "  kubernetes cluster.local in-addr.arpa {\n    pods verified\n  }\n}\n";
    private const string Pod = "---\napiVersion: v1\nkind: Pod\nmetadata: {name: client, namespace: bench}\nspec: {nodeName: n1}\n" +
        "status: {phase: Running, podIP: \"10.250.0.9\", conditions: [{type: Ready, status: \"True\"}]}\n";

    private readonly byte[] _response = new byte[512];
    private readonly byte[] _client = IPAddress.Parse("10.250.0.9").GetAddressBytes();
    private CompiledDns _plain = null!, _plugins = null!;
    private byte[] _web = null!, _alias = null!, _short = null!, _hosts = null!;

    [GlobalSetup]
    public void Setup()
    {
        var (cluster, _) = Clusters.Get(1_000);
        var sources = cluster.Sources.Append(new ManifestText("client.yaml", Pod)).ToArray();
        _plain = ClusterSnapshot.Build(ClusterLoader.LoadTexts(sources, new LoadOptions { CorefileText = ".:53 {\n  kubernetes cluster.local in-addr.arpa {\n    pods verified\n  }\n}\n" }).Cluster!).Dns;
        _plugins = ClusterSnapshot.Build(ClusterLoader.LoadTexts(sources, new LoadOptions { CorefileText = Plugins }).Cluster!).Dns;
        _web = DnsWireWriter.Query(0x1234, Clusters.ClusterIpName, DnsType.A);
        _alias = DnsWireWriter.Query(0x1234, "alias.bench.svc.cluster.local", DnsType.A);
        _short = DnsWireWriter.Query(0x1234, "web.bench.bench.svc.cluster.local", DnsType.A);
        _hosts = DnsWireWriter.Query(0x1234, "gateway.cluster.local", DnsType.A);
    }

    [Benchmark(Baseline = true, Description = "plain lookup (kubernetes only)")]
    public int Plain() => _plain.Respond(_web, _response, _client, out _, out _);

    [Benchmark(Description = "plugins block, name no rule touches (autopath first try hits)")]
    public int Untouched() => _plugins.Respond(_web, _response, _client, out _, out _);

    [Benchmark(Description = "through rewrite (exact rule fires, answer mapped back)")]
    public int Rewrite() => _plugins.Respond(_alias, _response, default, out _, out _);

    [Benchmark(Description = "through autopath (search path: miss, then hit behind a CNAME)")]
    public int Autopath() => _plugins.Respond(_short, _response, _client, out _, out _);

    [Benchmark(Description = "hosts entry")]
    public int Hosts() => _plugins.Respond(_hosts, _response, _client, out _, out _);
}
