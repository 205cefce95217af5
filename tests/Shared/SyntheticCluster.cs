using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace FastPath.TestData;

/// <summary>
/// Makes a cluster of any size, the same every time: <c>services</c> Services named svc-N in namespaces ns-(N/100),
/// each with <c>endpointsPerService</c> ready endpoints in one EndpointSlice; every tenth service is headless, every
/// 50th an ExternalName. Used by the benchmarks and by the 10,000-service compile test.
/// </summary>
public static class SyntheticCluster
{
    public static string Yaml(int services, int endpointsPerService = 10)
    {
        var sb = new StringBuilder();
        string N(int n) => n.ToString(CultureInfo.InvariantCulture);
        for (int i = 0; i < services; i++)
        {
            string ns = "ns-" + N(i / 100), name = "svc-" + N(i);
            if (i % 50 == 49)
            {
                sb.Append($"---\napiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: {ns}}}\nspec: {{type: ExternalName, externalName: ext-{N(i)}.example.com}}\n");
                continue;
            }
            bool headless = i % 10 == 9;
            // ClusterIPs from 10.96.0.0/12 by index; endpoints from 10.128.0.0/9.
            string clusterIp = headless ? "None" : $"10.{96 + i / 65536}.{(i / 256) % 256}.{i % 256}";
            sb.Append($"---\napiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n  clusterIP: {clusterIp}\n  ports:\n  - {{name: http, port: 80, targetPort: 8080}}\n  - {{name: grpc, port: 9000}}\n");
            sb.Append($"---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {{name: {name}-1, namespace: {ns}, labels: {{kubernetes.io/service-name: {name}}}}}\naddressType: IPv4\nports:\n- {{name: http, port: 8080, protocol: TCP}}\n- {{name: grpc, port: 9000, protocol: TCP}}\nendpoints:\n");
            for (int e = 0; e < endpointsPerService; e++)
            {
                int k = i * endpointsPerService + e;
                sb.Append($"- {{addresses: [10.{128 + k / 65536}.{(k / 256) % 256}.{k % 256}], conditions: {{ready: true}}, nodeName: node-{N(k % 8)}}}\n");
            }
        }
        return sb.ToString();
    }

    /// <summary>A few representative names of the synthetic cluster (for lookups).</summary>
    public static IReadOnlyList<string> Names(int services)
    {
        var names = new List<string>();
        for (int i = 0; i < services; i += System.Math.Max(1, services / 100))
            names.Add($"svc-{i.ToString(CultureInfo.InvariantCulture)}.ns-{(i / 100).ToString(CultureInfo.InvariantCulture)}.svc.cluster.local");
        return names;
    }
}
