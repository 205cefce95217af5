using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Text;
using BenchmarkDotNet.Attributes;
using FastPath.Compiled;
using FastPath.Dns;
using FastPath.Reference.Dns;

namespace FastPath.Benchmarks;

/// <summary>
/// A name as UTF-8 bytes → its A answer. Generated code against the strongest general-purpose structures on the same
/// names: FrozenDictionary with OrdinalIgnoreCase through its span alternate lookup (after decoding the bytes, as a
/// user must), and Dictionary; the reference interpreter shows what the compiled path saves.
/// </summary>
[MemoryDiagnoser]
public class NameLookupBenchmarks
{
    [Params(10, 1_000, 10_000)] public int Services;
    [ParamsAllValues] public Target Name;

    public enum Target { ClusterIP, Headless4, Headless64, ExternalName, Miss }

    private CompiledDns _dns = null!;
    private ReferenceResolver _reference = null!;
    private FrozenDictionary<string, int> _frozen = null!;
    private FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _frozenSpan;
    private Dictionary<string, int> _dictionary = null!;
    private byte[] _utf8 = null!;
    private string _text = null!;

    [GlobalSetup]
    public void Setup()
    {
        var (cluster, compiled) = Clusters.Get(Services);
        _dns = compiled.Dns;
        _reference = new ReferenceResolver(cluster);
        _text = Name switch
        {
            Target.ClusterIP => Clusters.ClusterIpName, Target.Headless4 => Clusters.Headless4Name, Target.Headless64 => Clusters.Headless64Name,
            Target.ExternalName => Clusters.ExternalName, _ => Clusters.MissName,
        };
        _utf8 = Encoding.ASCII.GetBytes(_text);
        // The baselines hold the same names, each mapped to an answer id as the compiled tables do.
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        int id = 0;
        foreach (var s in cluster.Services) names[$"{s.Name}.{s.Namespace}.svc.cluster.local"] = id++;
        _frozen = names.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _frozenSpan = _frozen.GetAlternateLookup<ReadOnlySpan<char>>();
        _dictionary = new Dictionary<string, int>(names, StringComparer.OrdinalIgnoreCase);
        if (_dns.LookupAnswer(_utf8, DnsType.A) < 0 && Name != Target.Miss) throw new InvalidOperationException("name not compiled: " + _text);
    }

    [Benchmark(Description = "FastPath generated")]
    public int Generated() => _dns.LookupAnswer(_utf8, DnsType.A);

    [Benchmark(Baseline = true, Description = "FrozenDictionary span lookup")]
    public int Frozen()
    {
        Span<char> chars = stackalloc char[256];
        int n = Encoding.ASCII.GetChars(_utf8, chars);
        return _frozenSpan.TryGetValue(chars.Slice(0, n), out int v) ? v : -1;
    }

    [Benchmark(Description = "Dictionary (string key)")]
    public int Dictionary() => _dictionary.TryGetValue(Encoding.ASCII.GetString(_utf8), out int v) ? v : -1;

    [Benchmark(Description = "Reference interpreter")]
    public int Reference() => _reference.Resolve(new DnsQuery(_text, DnsType.A)).Response.Answer.Count;
}
