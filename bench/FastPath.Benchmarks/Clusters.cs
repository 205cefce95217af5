using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using FastPath.Compiler;
using FastPath.Model;
using FastPath.Model.Loading;
using FastPath.TestData;

namespace FastPath.Benchmarks;

/// <summary>
/// The benchmark clusters: <see cref="SyntheticCluster"/> of N services, plus the services the lookups name — a
/// ClusterIP service, headless services with 4 and 64 endpoints, an ExternalName — compiled once per size with the
/// same emitter and Roslyn as the generator.
/// </summary>
public static class Clusters
{
    private static readonly ConcurrentDictionary<int, (Cluster, CompiledCluster)> Cache = new();

    public const string ClusterIpName = "web.bench.svc.cluster.local";
    public const string Headless4Name = "db4.bench.svc.cluster.local";
    public const string Headless64Name = "db64.bench.svc.cluster.local";
    public const string ExternalName = "ext.bench.svc.cluster.local";
    public const string MissName = "nope.bench.svc.cluster.local";

    public static (Cluster Cluster, CompiledCluster Compiled) Get(int services) => Cache.GetOrAdd(services, n =>
    {
        var text = SyntheticCluster.Yaml(n, 4) + Named();
        var cluster = ClusterLoader.LoadTexts([new ManifestText("bench.yaml", text)],
            new LoadOptions { CorefileText = ".:53 {\n  kubernetes cluster.local in-addr.arpa\n}\n" }).Cluster!;
        return (cluster, ClusterCompiler.Compile(cluster, null, System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fastpath-bench-cache")));
    });

    private static string Named()
    {
        var sb = new StringBuilder();
        sb.Append("---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: bench}\nspec: {clusterIP: 10.100.0.1, ports: [{name: http, port: 80}]}\n");
        sb.Append("---\napiVersion: v1\nkind: Service\nmetadata: {name: ext, namespace: bench}\nspec: {type: ExternalName, externalName: example.com}\n");
        foreach (var (name, count) in new[] { ("db4", 4), ("db64", 64) })
        {
            sb.Append($"---\napiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: bench}}\nspec: {{clusterIP: None, ports: [{{name: pg, port: 5432}}]}}\n");
            sb.Append($"---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {{name: {name}, namespace: bench, labels: {{kubernetes.io/service-name: {name}}}}}\naddressType: IPv4\nports: [{{name: pg, port: 5432, protocol: TCP}}]\nendpoints:\n");
            for (int i = 0; i < count; i++) sb.Append($"- {{addresses: [10.200.{count}.{i.ToString(CultureInfo.InvariantCulture)}], conditions: {{ready: true}}}}\n");
        }
        return sb.ToString();
    }
}
