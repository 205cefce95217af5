using System.Linq;
using FastPath.Model;
using FastPath.Model.Loading;

namespace FastPath.Benchmarks;

/// <summary>
/// Loads manifests whose endpoints stand at <see cref="Address"/> (TEST-NET-1) and moves those endpoints onto
/// 127.0.0.1, where the benchmark's and the tests' real servers listen. The API server, and FastPath's loader with it,
/// refuses loopback endpoint addresses; the cluster is otherwise exactly as loaded.
/// </summary>
public static class LoopbackEndpoints
{
    public const string Address = "192.0.2.1";

    public static LoadResult Load(string yaml)
    {
        var result = ClusterLoader.LoadTexts([new ManifestText("cluster.yaml", yaml)], new LoadOptions());
        if (result.Cluster is not { } c) return result;
        var slices = c.EndpointSlices.Select(s => s with
        {
            Endpoints = s.Endpoints.Select(e => e with { Addresses = e.Addresses.Select(a => a == Address ? "127.0.0.1" : a).ToList() }).ToList(),
        }).ToList();
        var cluster = new Cluster(c.Namespaces, c.Services, slices, c.Pods, c.Nodes, c.Corefile, c.ContentHash, c.Sources, c.ServiceCidr);
        return result with { Cluster = cluster };
    }
}
