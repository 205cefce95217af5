using System.Linq;
using FastPath.Reference.DataPlane;
using FastPath.Runtime;
using Xunit;

namespace FastPath.Tests.DataPlane;

/// <summary>kube-proxy's CategorizeEndpoints and reject/drop, for both policies and every endpoint state.</summary>
public class CategorizationTests
{
    // Endpoint spec: "L" (on node-a) or "R" (remote), then r/s/t flags for ready/serving/terminating.
    private static string Cluster(string type, string itp, string etp, string[] endpoints, string hints = "")
    {
        var eps = string.Join("\n", endpoints.Select((e, i) =>
            $"  - addresses: [10.1.0.{i + 1}]\n    conditions: {{ready: {B(e, 'r')}, serving: {B(e, 's')}, terminating: {B(e, 't')}}}\n    nodeName: {(e[0] == 'L' ? "node-a" : "node-b")}" +
            (hints.Length > 0 ? $"\n    hints: {{forZones: [{{name: {hints.Split(',')[i]}}}]}}" : "")));
        string nodePort = type == "ClusterIP" ? "" : "    nodePort: 30080";
        return $$$"""
            apiVersion: v1
            kind: Service
            metadata: {name: svc, namespace: ns}
            spec:
              type: {{{type}}}
              clusterIP: 10.96.0.10
              internalTrafficPolicy: {{{itp}}}
              externalTrafficPolicy: {{{etp}}}
              ports:
              - name: http
                port: 80
            {{{nodePort}}}
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: svc-1, namespace: ns, labels: {kubernetes.io/service-name: svc}}
            addressType: IPv4
            ports: [{name: http, port: 8080, protocol: TCP}]
            endpoints:
            {{{eps}}}
            ---
            apiVersion: v1
            kind: Node
            metadata: {name: node-a, labels: {topology.kubernetes.io/zone: zone-a}}
            """.Replace("endpoints:\n\n", "endpoints: []\n");
        static string B(string e, char f) => e.Contains(f) ? "true" : "false";
    }

    private static (ProxyAction Action, string[] Endpoints) Decide(string yaml, bool external, string node = "node-a")
    {
        var c = TestClusters.Load(yaml);
        var svc = c.Services.Single();
        var d = EndpointCategorizer.Decide(c, svc, svc.Ports[0], new TrafficSource(node, external));
        return (d.Action, d.Endpoints.Select(e => e.Key).ToArray());
    }

    [Theory]
    // Cluster policy: ready endpoints anywhere; else serving-and-terminating ones; else reject.
    [InlineData("Cluster", new[] { "Lrs", "Rrs" }, "Forward", "10.1.0.1:8080,10.1.0.2:8080")]
    [InlineData("Cluster", new[] { "Lrs", "Rst" }, "Forward", "10.1.0.1:8080")]
    [InlineData("Cluster", new[] { "Rst", "Lst" }, "Forward", "10.1.0.1:8080,10.1.0.2:8080")]
    [InlineData("Cluster", new[] { "Rt", "Lt" }, "Reject", "")]
    [InlineData("Cluster", new[] { "R", "L" }, "Reject", "")]
    [InlineData("Cluster", new[] { "Rs" }, "Reject", "")]
    // Local policy: local ready; else local serving-terminating; else drop while any endpoint exists elsewhere.
    [InlineData("Local", new[] { "Lrs", "Rrs" }, "Forward", "10.1.0.1:8080")]
    [InlineData("Local", new[] { "Lst", "Rrs" }, "Forward", "10.1.0.1:8080")]
    [InlineData("Local", new[] { "Lrs", "Lst" }, "Forward", "10.1.0.1:8080")]
    [InlineData("Local", new[] { "Rrs" }, "Drop", "")]
    [InlineData("Local", new[] { "Rst" }, "Drop", "")]
    [InlineData("Local", new[] { "Lt", "Rs" }, "Reject", "")]
    [InlineData("Local", new string[0], "Reject", "")]
    public void Internal_traffic_follows_the_internal_policy(string itp, string[] eps, string action, string endpoints)
    {
        var (a, e) = Decide(Cluster("ClusterIP", itp, "Cluster", eps), external: false);
        Assert.Equal((action, endpoints), (a.ToString(), string.Join(",", e)));
    }

    [Theory]
    [InlineData("Local", new[] { "Lrs", "Rrs" }, "Forward", "10.1.0.1:8080")]
    [InlineData("Local", new[] { "Rrs" }, "Drop", "")]
    [InlineData("Local", new[] { "Lst", "Rrs" }, "Forward", "10.1.0.1:8080")]
    [InlineData("Cluster", new[] { "Lrs", "Rrs" }, "Forward", "10.1.0.1:8080,10.1.0.2:8080")]
    [InlineData("Local", new[] { "R" }, "Reject", "")]
    public void External_traffic_follows_the_external_policy(string etp, string[] eps, string action, string endpoints)
    {
        var (a, e) = Decide(Cluster("NodePort", "Cluster", etp, eps), external: true);
        Assert.Equal((action, endpoints), (a.ToString(), string.Join(",", e)));
    }

    [Fact]
    public void External_local_policy_does_not_narrow_internal_traffic()
    {
        var (a, e) = Decide(Cluster("NodePort", "Cluster", "Local", ["Rrs", "Lrs"]), external: false);
        Assert.Equal((ProxyAction.Forward, "10.1.0.1:8080,10.1.0.2:8080"), (a, string.Join(",", e)));
    }

    [Fact]
    public void Zone_hints_apply_only_when_every_ready_endpoint_has_one_and_one_matches()
    {
        var (_, same) = Decide(Cluster("ClusterIP", "Cluster", "Cluster", ["Lrs", "Rrs"], hints: "zone-a,zone-b"), false);
        Assert.Equal(new[] { "10.1.0.1:8080" }, same);
        var (_, none) = Decide(Cluster("ClusterIP", "Cluster", "Cluster", ["Lrs", "Rrs"], hints: "zone-c,zone-b"), false);
        Assert.Equal(new[] { "10.1.0.1:8080", "10.1.0.2:8080" }, none);
    }

    [Fact]
    public void Headless_and_external_name_services_are_not_proxied()
    {
        var c = TestClusters.Load("apiVersion: v1\nkind: Service\nmetadata: {name: h}\nspec: {clusterIP: None, ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: e}\nspec: {type: ExternalName, externalName: example.com, ports: [{port: 80}]}\n");
        foreach (var s in c.Services)
            Assert.Equal(ProxyAction.NotProxied, EndpointCategorizer.Decide(c, s, s.Ports[0], TrafficSource.Internal("n")).Action);
    }

    [Fact]
    public void Endpoints_derived_from_pods_resolve_named_target_ports()
    {
        var c = TestClusters.Load(System.IO.File.ReadAllText(System.IO.Path.Combine(TestClusters.DemoPath, "my-service.yaml")));
        var svc = c.FindService("default", "my-service")!;
        var http = EndpointCategorizer.Decide(c, svc, svc.Ports[0], TrafficSource.Internal("node-a"));
        Assert.Equal(new[] { "10.244.1.10:8080", "10.244.2.10:8080" }, http.Endpoints.Select(e => e.Key));
        var metrics = EndpointCategorizer.Decide(c, svc, svc.Ports[1], TrafficSource.Internal("node-a"));
        Assert.Equal(new[] { "10.244.1.10:9090", "10.244.2.10:9090" }, metrics.Endpoints.Select(e => e.Key));
    }

    [Fact]
    public void A_terminating_pod_is_the_fallback_only_when_no_pod_is_ready()
    {
        var yaml = System.IO.File.ReadAllText(System.IO.Path.Combine(TestClusters.DemoPath, "shop.yaml"));
        var c = TestClusters.Load(yaml);
        var cart = c.FindService("shop", "cart")!;
        Assert.DoesNotContain("10.244.1.40:50051", EndpointCategorizer.Decide(c, cart, cart.Ports[0], TrafficSource.Internal("node-a")).Endpoints.Select(e => e.Key));
        // Without the ready cart pods, the terminating one still serves.
        var onlyOld = yaml.Replace("name: cart-1,", "name: cart-1, deletionTimestamp: \"2026-11-27T10:00:00Z\",").Replace("name: cart-2,", "name: cart-2, deletionTimestamp: \"2026-11-27T10:00:00Z\",")
            .Replace("podIP: 10.244.1.41, podIPs: [{ip: 10.244.1.41}], conditions: [{type: Ready, status: \"True\"}]", "podIP: 10.244.1.41, podIPs: [{ip: 10.244.1.41}], conditions: [{type: Ready, status: \"False\"}]")
            .Replace("podIP: 10.244.2.41, podIPs: [{ip: 10.244.2.41}], conditions: [{type: Ready, status: \"True\"}]", "podIP: 10.244.2.41, podIPs: [{ip: 10.244.2.41}], conditions: [{type: Ready, status: \"False\"}]");
        var c2 = TestClusters.Load(onlyOld);
        var cart2 = c2.FindService("shop", "cart")!;
        Assert.Equal(new[] { "10.244.1.40:50051" }, EndpointCategorizer.Decide(c2, cart2, cart2.Ports[0], TrafficSource.Internal("node-a")).Endpoints.Select(e => e.Key));
    }
}
