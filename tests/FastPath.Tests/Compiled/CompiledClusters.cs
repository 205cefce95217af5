using System.Collections.Concurrent;
using System.Linq;
using FastPath.Compiler;
using FastPath.Dns;
using FastPath.Model;
using FastPath.Reference.Dns;

namespace FastPath.Tests.Compiled;

/// <summary>Clusters compiled once per test run (Roslyn in-process, the same emitter as the generator).</summary>
internal static class CompiledClusters
{
    private static readonly ConcurrentDictionary<string, CompiledCluster> Cache = new();

    public static CompiledCluster For(Cluster cluster) =>
        Cache.GetOrAdd(cluster.ContentHash, _ => ClusterCompiler.Compile(cluster));

    /// <summary>A response as comparable text: header fields, then every section in order.</summary>
    public static string Describe(DnsResult r)
    {
        var m = r.Response;
        var lines = new[] { $"{r.Outcome} {string.Join(",", r.Upstreams)} {DnsNaming.RcodeText(m.Rcode)} aa={m.Authoritative} tc={m.Truncated} q={m.Question.Name} {m.Question.Type}" }
            .Concat(m.Answer.Select(x => "an " + x)).Concat(m.Authority.Select(x => "ns " + x)).Concat(m.Additional.Select(x => "ad " + x));
        return string.Join("\n", lines);
    }
}
