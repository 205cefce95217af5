using System.Linq;
using FastPath.Model;
using FastPath.Live;
using FastPath.Model.Loading;

namespace FastPath.Integrations.Benchmarks;

/// <summary>Service shop/cart with four ready endpoints, with or without ClientIP affinity.</summary>
internal static class IntegrationCluster
{
    public const int Endpoints = 4;

    public static ClusterSnapshot Build(bool clientIp)
    {
        var eps = string.Join("\n", Enumerable.Range(1, Endpoints).Select(i => $"- {{addresses: [10.244.0.{i}], conditions: {{ready: true}}}}"));
        var yaml = $"""
            apiVersion: v1
            kind: Service
            metadata: {"{"}name: cart, namespace: shop{"}"}
            spec:
              ports: [{"{"}name: http, port: 80{"}"}]
            {(clientIp ? "  sessionAffinity: ClientIP" : "")}
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {"{"}name: cart-1, namespace: shop, labels: {"{"}kubernetes.io/service-name: cart{"}"}{"}"}
            addressType: IPv4
            ports: [{"{"}name: http, port: 8080, protocol: TCP{"}"}]
            endpoints:
            {eps}
            """;
        var result = ClusterLoader.LoadTexts([new ManifestText("bench.yaml", yaml)]);
        return ClusterSnapshot.Build(result.Cluster ?? throw new System.InvalidOperationException(string.Join("\n", result.Diagnostics)));
    }
}
