using System;
using System.Diagnostics;
using System.Net;
using FastPath.Compiled;
using FastPath.Live;
using FastPath.Model;
using FastPath.Model.Loading;

namespace FastPath.Fuzz;

/// <summary>
/// <c>dotnet run -c Release --project bench/FastPath.Fuzz -- affinity [clients]</c>: that many distinct client
/// addresses, each opening one connection to a <c>sessionAffinity: ClientIP</c> Service through the live snapshot's
/// data plane, with the process's resident memory before and after against the persistence table's fixed capacity
/// (<see cref="CompiledDataPlane.DefaultPersistenceCapacity"/> templates); then the most recent clients are asked
/// again, to show their templates survived the flood (eviction takes the ones nearest to expiry).
/// </summary>
internal static class Affinity
{
    private const string Yaml = """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec: {clusterIP: 10.96.0.10, sessionAffinity: ClientIP, ports: [{name: http, port: 80}]}
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: web-1, namespace: shop, labels: {kubernetes.io/service-name: web}}
        addressType: IPv4
        ports: [{name: http, port: 8080, protocol: TCP}]
        endpoints:
        - {addresses: [10.1.0.1], conditions: {ready: true}}
        - {addresses: [10.1.0.2], conditions: {ready: true}}
        - {addresses: [10.1.0.3], conditions: {ready: true}}
        - {addresses: [10.1.0.4], conditions: {ready: true}}
        """;

    public static int Run(long clients)
    {
        var load = ClusterLoader.LoadTexts([new ManifestText("affinity.yaml", Yaml)], new LoadOptions());
        var cluster = load.Cluster ?? throw new InvalidOperationException(string.Join("\n", load.Diagnostics));
        var port = ClusterSnapshot.Build(cluster).DataPlane.Find("shop", "web", "http") ?? throw new InvalidOperationException("shop/web:http not found");
        long rss0 = Flood.Resident(), heap0 = GC.GetTotalMemory(true);
        var clock = Stopwatch.StartNew();
        const int recent = 1000;
        var chosen = new string?[recent];
        for (long i = 0; i < clients; i++)
        {
            var selection = port.Select(Client(i));
            if (i >= clients - recent) chosen[i - (clients - recent)] = selection.Endpoint;
        }
        double seconds = clock.Elapsed.TotalSeconds;
        long rss1 = Flood.Resident(), heap1 = GC.GetTotalMemory(true);
        int kept = 0;
        for (int r = 0; r < recent; r++)
            if (port.Select(Client(clients - recent + r)).Endpoint == chosen[r]) kept++;
        Console.WriteLine($"{clients:N0} distinct clients through ClientIP affinity in {seconds:F1} s ({seconds * 1e9 / clients:F0} ns each, address parsing included)");
        Console.WriteLine($"persistence table: {CompiledDataPlane.DefaultPersistenceCapacity:N0} templates at most (preallocated at build)");
        Console.WriteLine($"resident {rss0 / 1048576.0:F1} MiB -> {rss1 / 1048576.0:F1} MiB (+{(rss1 - rss0) / 1048576.0:F1}); managed heap +{(heap1 - heap0) / 1048576.0:F1} MiB after a full GC");
        Console.WriteLine($"the last {recent:N0} clients asked again: {kept:N0} kept their endpoint");
        return kept == recent ? 0 : 1;
    }

    /// <summary>The i-th distinct IPv4 client, from 11.0.0.0 up.</summary>
    private static IPAddress Client(long i) => new((uint)IPAddress.HostToNetworkOrder((int)(0x0B000000 + i)));
}
