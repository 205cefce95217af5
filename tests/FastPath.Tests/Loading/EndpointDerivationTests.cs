using System.Linq;
using FastPath.Model;
using Xunit;

namespace FastPath.Tests.Loading;

/// <summary>Pods become EndpointSlice endpoints as the EndpointSlice controller builds them.</summary>
public class EndpointDerivationTests
{
    private const string Service = """
        apiVersion: v1
        kind: Service
        metadata: {name: db, namespace: data}
        spec:
          clusterIP: None
          selector: {app: db}
          ports: [{name: pg, port: 5432, targetPort: pg}]
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: n1, labels: {topology.kubernetes.io/zone: z1}}
        """;

    private static string Pod(string name, string ip, string ready = "True", string extraMeta = "", string extraSpec = "",
        string phase = "Running", string labels = "{app: db}", string ns = "data", string portName = "pg") => $$"""

        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: {{name}}, namespace: {{ns}}, labels: {{labels}}{{extraMeta}}}
        spec: {nodeName: n1{{extraSpec}}, containers: [{name: c, ports: [{name: {{portName}}, containerPort: 15432}]}]}
        status: {phase: {{phase}}, podIP: "{{ip}}", conditions: [{type: Ready, status: "{{ready}}"}]}
        """;

    private static Endpoint Single(string pods)
    {
        var c = TestClusters.Load(Service + pods);
        return Assert.Single(c.EndpointSlices.SelectMany(s => s.Endpoints));
    }

    [Fact]
    public void Ready_pod_is_ready_and_serving_with_node_zone_and_target_ref()
    {
        var e = Single(Pod("db-0", "10.1.0.5"));
        Assert.Equal((true, true, false), (e.Ready, e.Serving, e.Terminating));
        Assert.Equal(("n1", "z1"), (e.NodeName, e.Zone));
        Assert.Equal(new TargetRef("Pod", "data", "db-0"), e.TargetRef);
        Assert.Equal(new[] { "10.1.0.5" }, e.Addresses);
    }

    [Fact]
    public void Unready_pod_is_not_ready_and_not_serving()
    {
        var e = Single(Pod("db-0", "10.1.0.5", ready: "False"));
        Assert.Equal((false, false, false), (e.Ready, e.Serving, e.Terminating));
    }

    [Fact]
    public void Terminating_ready_pod_is_serving_and_terminating_but_not_ready()
    {
        var e = Single(Pod("db-0", "10.1.0.5", extraMeta: ", deletionTimestamp: \"2026-01-01T00:00:00Z\""));
        Assert.Equal((false, true, true), (e.Ready, e.Serving, e.Terminating));
    }

    [Fact]
    public void Publish_not_ready_addresses_marks_unready_pods_ready()
    {
        var c = TestClusters.Load(Service.Replace("clusterIP: None", "clusterIP: None\n  publishNotReadyAddresses: true") + Pod("db-0", "10.1.0.5", ready: "False"));
        var e = Assert.Single(c.EndpointSlices.SelectMany(s => s.Endpoints));
        Assert.Equal((true, false), (e.Ready, e.Serving));
    }

    [Theory]
    [InlineData("Succeeded")]
    [InlineData("Failed")]
    public void Finished_pods_are_left_out(string phase)
    {
        var c = TestClusters.Load(Service + Pod("db-0", "10.1.0.5", phase: phase));
        Assert.Empty(c.EndpointSlices.SelectMany(s => s.Endpoints));
    }

    [Fact]
    public void Pods_without_an_ip_other_namespaces_and_unmatched_labels_are_left_out()
    {
        var pods = Pod("no-ip", "").Replace("podIP: \"\"", "podIP: null")
            + Pod("other-ns", "10.1.0.6", ns: "elsewhere")
            + Pod("other-app", "10.1.0.7", labels: "{app: web}")
            + Pod("extra-labels", "10.1.0.8", labels: "{app: db, tier: primary}");
        var c = TestClusters.Load(Service + pods);
        var e = Assert.Single(c.EndpointSlices.SelectMany(s => s.Endpoints));
        Assert.Equal("10.1.0.8", e.Addresses[0]);
    }

    [Fact]
    public void Hostname_is_set_only_when_the_subdomain_names_the_service()
    {
        var c = TestClusters.Load(Service
            + Pod("db-0", "10.1.0.5", extraSpec: ", hostname: db-0, subdomain: db")
            + Pod("db-1", "10.1.0.6", extraSpec: ", hostname: db-1, subdomain: other"));
        var eps = c.EndpointSlices.SelectMany(s => s.Endpoints).OrderBy(e => e.Addresses[0]).ToList();
        Assert.Equal(new string?[] { "db-0", null }, eps.Select(e => e.Hostname));
    }

    [Fact]
    public void Named_target_port_resolves_per_pod_and_pods_without_it_get_no_port()
    {
        var c = TestClusters.Load(Service + Pod("db-0", "10.1.0.5") + Pod("db-1", "10.1.0.6", portName: "other"));
        var withPort = c.EndpointSlices.Single(s => s.Ports.Count == 1);
        Assert.Equal(15432, withPort.Ports[0].Port);
        Assert.Equal("10.1.0.5", Assert.Single(withPort.Endpoints).Addresses[0]);
        var without = c.EndpointSlices.Single(s => s.Ports.Count == 0);
        Assert.Equal("10.1.0.6", Assert.Single(without.Endpoints).Addresses[0]);
    }

    [Fact]
    public void Declared_slices_win_over_derivation_and_legacy_endpoints_are_mirrored()
    {
        var c = TestClusters.Load("""
            apiVersion: v1
            kind: Service
            metadata: {name: legacy}
            spec: {clusterIP: 10.96.3.3, ports: [{name: http, port: 80}]}
            ---
            apiVersion: v1
            kind: Endpoints
            metadata: {name: legacy}
            subsets:
            - addresses: [{ip: 10.2.0.1, nodeName: n1}]
              notReadyAddresses: [{ip: 10.2.0.2}]
              ports: [{name: http, port: 8080}]
            """);
        var slice = Assert.Single(c.EndpointSlices);
        Assert.Equal(EndpointSource.MirroredFromEndpoints, slice.Source);
        Assert.Equal(new bool?[] { true, false }, slice.Endpoints.Select(e => e.Ready));
        Assert.Equal(8080, slice.Ports[0].Port);
    }
}
