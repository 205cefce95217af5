using System;
using System.Net;
using BenchmarkDotNet.Attributes;
using FastPath.Compiled;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Reference.Dns;

namespace FastPath.Benchmarks;

/// <summary>
/// A whole DNS message: parse a wire-format query, answer it, write the response into a buffer. Generated tables vs
/// the reference interpreter with FastPath's codec vs ARSoft.Tools.Net's message types (parse + build + encode).
/// </summary>
[MemoryDiagnoser]
public class MessageBenchmarks
{
    // 10 and 10,000 draw the cost curve (issue 16 part 6); 1,000 is the size the tables in bench/README.md quote.
    [Params(10, 1_000, 10_000)] public int Services;

    private byte[] _query = null!;
    private static readonly IPAddress Address = IPAddress.Parse("10.100.0.1");

    /// <summary>ARSoft's encoder is internal; bound once as a delegate, it is called without reflection per call.</summary>
    private static readonly Func<global::ARSoft.Tools.Net.Dns.DnsMessageBase, object> Encode =
        typeof(global::ARSoft.Tools.Net.Dns.DnsMessageBase).GetMethod("Encode", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic, Type.EmptyTypes)!
            .CreateDelegate<Func<global::ARSoft.Tools.Net.Dns.DnsMessageBase, object>>();
    private readonly byte[] _response = new byte[512];
    private CompiledDns _dns = null!;
    private ReferenceResolver _reference = null!;

    [GlobalSetup]
    public void Setup()
    {
        var (cluster, compiled) = Clusters.Get(Services);
        _dns = compiled.Dns;
        _reference = new ReferenceResolver(cluster);
        _query = DnsWireWriter.Query(0x1234, Clusters.ClusterIpName, DnsType.A);
    }

    [Benchmark(Description = "FastPath generated: Respond")]
    public int Generated() => _dns.Respond(_query, _response, out _, out _);

    [Benchmark(Description = "Reference: read + resolve + encode")]
    public int Reference()
    {
        var q = DnsWireReader.ReadMessage(_query)!;
        var r = _reference.Resolve(new DnsQuery(q.Question.Name, q.Question.Type, null, q.Id));
        var bytes = DnsWireWriter.Encode(r.Response);
        bytes.CopyTo(_response, 0);
        return bytes.Length;
    }

    [Benchmark(Baseline = true, Description = "ARSoft.Tools.Net: parse + answer + encode")]
    public int ArSoftTools()
    {
        var query = global::ARSoft.Tools.Net.Dns.DnsMessage.Parse(new ArraySegment<byte>(_query));
        var response = query.CreateResponseInstance();
        response.IsAuthoritiveAnswer = true;
        response.AnswerRecords.Add(new global::ARSoft.Tools.Net.Dns.ARecord(query.Questions[0].Name, 5, Address));
        return Encode(response) is null ? 0 : 1;
    }
}
