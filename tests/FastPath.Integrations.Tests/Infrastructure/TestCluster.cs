using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using FastPath.Live;
using FastPath.Model;
using FastPath.Model.Loading;
using Xunit;

namespace FastPath.Integrations.Tests.Infrastructure;

/// <summary>An endpoint of a test Service: a backend's port on 127.0.0.1 with its EndpointSlice conditions.</summary>
public sealed record Ep(int Port, bool Ready = true, bool Serving = true, bool Terminating = false, string? Node = null, string? ZoneHint = null)
{
    public static Ep Of(Backend b, bool ready = true, bool serving = true, bool terminating = false, string? node = null, string? zoneHint = null) =>
        new(b.Port, ready, serving, terminating, node, zoneHint);
}

/// <summary>
/// Writes the smallest manifests that show a point: a Service in namespace <c>shop</c> with one port, no selector, and
/// one EndpointSlice per endpoint (the backends share 127.0.0.1, so each needs its own slice port), loaded by
/// FastPath's own loader and built into a snapshot.
/// </summary>
public static class TestCluster
{
    public static string Service(string name, string portName, int port, IEnumerable<Ep> endpoints, string spec = "", string? appProtocol = null,
        string labels = "{}", string annotations = "{}")
    {
        var sb = new StringBuilder();
        var app = appProtocol is null ? "" : ", appProtocol: " + appProtocol;
        sb.Append($$"""
            apiVersion: v1
            kind: Service
            metadata: {name: {{name}}, namespace: shop, labels: {{labels}}, annotations: {{annotations}}}
            spec:
              ports: [{name: {{portName}}, port: {{port}}{{app}}}]
            {{spec}}
            """);
        int i = 0;
        foreach (var e in endpoints)
        {
            var node = e.Node is null ? "" : "  nodeName: " + e.Node;
            var hints = e.ZoneHint is null ? "" : "  hints: {forZones: [{name: " + e.ZoneHint + "}]}";
            sb.Append($$"""

                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: {{name}}-{{i++}}, namespace: shop, labels: {kubernetes.io/service-name: {{name}} } }
                addressType: IPv4
                ports: [{name: {{portName}}, port: {{e.Port}}, protocol: TCP}]
                endpoints:
                - addresses: [127.0.0.1]
                  conditions: {ready: {{B(e.Ready)}}, serving: {{B(e.Serving)}}, terminating: {{B(e.Terminating)}}}
                {{node}}
                {{hints}}
                """);
        }
        sb.Append('\n');
        return sb.ToString();
    }

    public const string Nodes = """
        apiVersion: v1
        kind: Node
        metadata: {name: node-a, labels: {topology.kubernetes.io/zone: zone-a}}
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: node-b, labels: {topology.kubernetes.io/zone: zone-b}}
        """;

    public static ClusterSnapshot Build(long version, params string[] manifests)
    {
        // Loopback endpoints load with FP0066 only (the API server would refuse them; kube-proxy serves them as given).
        var r = ClusterLoader.LoadTexts([new ManifestText("cluster.yaml", string.Join("\n---\n", manifests))]);
        Assert.True(r.Cluster is not null && r.Diagnostics.All(d => d.Id == "FP0066"), "expected a clean load, got:\n" + string.Join("\n", r.Diagnostics));
        return ClusterSnapshot.Build(r.Cluster!, version: version);
    }

    private static string B(bool b) => b ? "true" : "false";
}

/// <summary>A publisher that numbers its snapshots, as a live cluster would.</summary>
public sealed class TestSource
{
    private long _version;

    public TestSource(params string[] manifests) => Publisher = new SnapshotPublisher(TestCluster.Build(++_version, manifests));

    public SnapshotPublisher Publisher { get; }

    public ClusterSnapshot Publish(params string[] manifests)
    {
        var s = TestCluster.Build(++_version, manifests);
        Publisher.Publish(s, SnapshotChange.Everything);
        return s;
    }
}
