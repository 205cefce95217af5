using System.Linq;
using FastPath.Model;
using FastPath.Model.Loading;
using Xunit;

namespace FastPath.Tests.Loading;

public class ServiceLoadingTests
{
    [Fact]
    public void Defaults_follow_the_api_server()
    {
        var c = TestClusters.Load("""
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              clusterIP: 10.96.5.5
              sessionAffinity: ClientIP
              ports:
              - port: 80
            """);
        var s = Assert.Single(c.Services);
        Assert.Equal("default", s.Namespace);
        Assert.Equal(ServiceType.ClusterIP, s.Type);
        Assert.Equal(new[] { IpFamily.IPv4 }, s.IpFamilies);
        var p = Assert.Single(s.Ports);
        Assert.Equal(("TCP", 80, 80), (p.Protocol, p.Port, p.TargetPort));
        Assert.Equal(10800, s.AffinityTimeoutSeconds); // DefaultClientIPServiceAffinitySeconds, not 100800
        Assert.Equal(TrafficPolicy.Cluster, s.InternalTrafficPolicy);
        Assert.Equal(TrafficPolicy.Cluster, s.ExternalTrafficPolicy);
    }

    [Fact]
    public void Kubectl_output_with_status_managedFields_and_unknown_fields_loads()
    {
        var c = TestClusters.Load("""
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Service
              metadata:
                name: api
                namespace: prod
                uid: 1c2d
                resourceVersion: "42"
                creationTimestamp: "2026-01-01T00:00:00Z"
                managedFields:
                - manager: kubectl
                  operation: Update
                  fieldsV1: {f:spec: {f:ports: {}}}
              spec:
                clusterIP: 10.96.7.7
                clusterIPs: [10.96.7.7]
                internalTrafficPolicy: Cluster
                ipFamilyPolicy: SingleStack
                someFutureField: {x: 1}
                ports:
                - {name: http, port: 8080, protocol: TCP, targetPort: http}
                type: ClusterIP
              status:
                loadBalancer: {}
            """);
        var s = Assert.Single(c.Services);
        Assert.Equal("prod/api", s.Meta.Key);
        Assert.Equal("http", s.Ports[0].TargetPortName);
        Assert.Equal(0, s.Ports[0].TargetPort);
        Assert.Contains("prod", c.Namespaces);
    }

    [Fact]
    public void Missing_cluster_ips_and_node_ports_are_allocated_the_same_whatever_the_file_order()
    {
        string a = "apiVersion: v1\nkind: Service\nmetadata: {name: alpha}\nspec:\n  type: NodePort\n  ports: [{port: 80}]\n";
        string b = "apiVersion: v1\nkind: Service\nmetadata: {name: beta}\nspec:\n  type: LoadBalancer\n  ipFamilyPolicy: RequireDualStack\n  ports: [{port: 443}]\n";
        var one = ClusterLoader.LoadTexts([new ManifestText("a.yaml", a), new ManifestText("b.yaml", b)]).Cluster!;
        var two = ClusterLoader.LoadTexts([new ManifestText("z.yaml", b), new ManifestText("y.yaml", a)]).Cluster!;
        string Dump(Cluster c) => string.Join(";", c.Services.Select(s => s.Name + "=" + string.Join(",", s.ClusterIPs) + "/" + string.Join(",", s.Ports.Select(p => p.NodePort))));
        Assert.Equal(Dump(one), Dump(two));
        var alpha = one.FindService("default", "alpha")!;
        var beta = one.FindService("default", "beta")!;
        Assert.StartsWith("10.", alpha.ClusterIPs[0]);
        Assert.Equal(2, beta.ClusterIPs.Count);
        Assert.Contains(':', beta.ClusterIPs[1]);
        Assert.InRange(alpha.Ports[0].NodePort, 30000, 32767);
        Assert.InRange(beta.Ports[0].NodePort, 30000, 32767);
        Assert.NotEqual(alpha.ClusterIPs[0], beta.ClusterIPs[0]);
    }

    [Fact]
    public void A_cluster_ip_outside_the_default_cidr_loads_but_not_outside_an_explicit_one()
    {
        const string yaml = "apiVersion: v1\nkind: Service\nmetadata: {name: old}\nspec:\n  clusterIP: 172.20.0.9\n  ports: [{port: 80}]\n";
        Assert.NotNull(TestClusters.LoadResult(yaml).Cluster);
        var d = TestClusters.SingleError(yaml, serviceCidr: "10.96.0.0/12");
        Assert.Equal("FP0016", d.Id);
    }

    [Fact]
    public void Two_services_sharing_a_cluster_ip_load_with_a_warning()
    {
        var r = TestClusters.LoadResult("""
            apiVersion: v1
            kind: Service
            metadata: {name: a}
            spec: {clusterIP: 10.96.1.1, ports: [{port: 80}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: b}
            spec: {clusterIP: 10.96.1.1, ports: [{port: 80}]}
            """);
        Assert.NotNull(r.Cluster);
        var w = Assert.Single(r.Diagnostics);
        Assert.Equal("FP0015", w.Id);
    }

    // One row per validation error: the id, and the line and column of the offending node.
    [Theory]
    [InlineData("metadata: {name: Web}\nspec: {ports: [{port: 80}]}", "FP0006", 3, 18)]
    [InlineData("metadata: {name: web, namespace: Prod}\nspec: {ports: [{port: 80}]}", "FP0006", 3, 34)]
    [InlineData("metadata: {name: web}\nspec:\n  ports:\n  - {name: a, port: 80}\n  - {name: a, port: 81}", "FP0011", 7, 12)]
    [InlineData("metadata: {name: web}\nspec:\n  ports:\n  - {name: a, port: 80}\n  - {name: b, port: 80}", "FP0011", 7, 21)]
    [InlineData("metadata: {name: web}\nspec:\n  ports:\n  - {name: a, port: 80}\n  - {port: 81}", "FP0013", 7, 5)]
    [InlineData("metadata: {name: web}\nspec:\n  ports:\n  - {name: Http, port: 80}", "FP0006", 6, 12)]
    [InlineData("metadata: {name: web}\nspec:\n  ports:\n  - {port: 70000}", "FP0012", 6, 12)]
    [InlineData("metadata: {name: web}\nspec:\n  clusterIP: 10.0.0.300\n  ports: [{port: 80}]", "FP0014", 5, 14)]
    [InlineData("metadata: {name: web}\nspec:\n  type: ExternalName\n  externalName: UPPER.example.com", "FP0017", 6, 17)]
    [InlineData("metadata: {name: web}\nspec:\n  type: ExternalName\n  externalName: example.com\n  selector: {app: x}", "FP0018", 7, 13)]
    [InlineData("metadata: {name: web}\nspec:\n  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 0}}\n  ports: [{port: 80}]", "FP0019", 6, 54)]
    [InlineData("metadata: {name: web}\nspec:\n  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 86401}}\n  ports: [{port: 80}]", "FP0019", 6, 54)]
    [InlineData("metadata: {name: web}\nspec:\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}\n  ports: [{port: 80}]", "FP0025", 5, 54)]
    [InlineData("metadata: {name: web}\nspec:\n  type: Magic\n  ports: [{port: 80}]", "FP0010", 5, 9)]
    [InlineData("metadata: {name: web}\nspec:\n  internalTrafficPolicy: Nearby\n  ports: [{port: 80}]", "FP0010", 5, 26)]
    [InlineData("metadata: {name: web}\nspec:\n  ports: [{port: 80, nodePort: 30001}]", "FP0022", 5, 32)]
    [InlineData("metadata: {name: web}\nspec:\n  ports: [{port: 80, protocol: QUIC}]", "FP0010", 5, 32)]
    [InlineData("metadata: {name: web}\nspec:\n  clusterIPs: [10.96.0.5, 10.96.0.6]\n  ports: [{port: 80}]", "FP0024", 5, 15)]
    [InlineData("metadata: {name: web}\nspec:\n  ports: [{port: eighty}]", "FP0005", 5, 18)]
    [InlineData("metadata: {namespace: x}\nspec: {}", "FP0004", 3, 11)]
    public void Each_invalid_service_field_is_an_error_at_its_node(string body, string id, int line, int column)
    {
        var d = TestClusters.SingleError("apiVersion: v1\nkind: Service\n" + body + "\n");
        Assert.Equal((id, line, column), (d.Id, d.Location!.Line, d.Location.Column));
        Assert.Equal("test.yaml", d.Location.Path);
    }

    [Fact]
    public void Two_ports_without_a_number_are_two_missing_field_errors_not_a_crash()
    {
        // Found by the mutation property: both ports keyed "0/TCP" were reported as duplicates at a port node that does not exist.
        var r = TestClusters.LoadResult("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports:\n  - {name: a}\n  - {name: b}\n");
        Assert.Null(r.Cluster);
        Assert.Equal([("FP0004", 6), ("FP0004", 7)], r.Diagnostics.Where(d => d.IsError).Select(d => (d.Id, d.Location!.Line)).ToArray());
    }

    [Fact]
    public void Node_port_out_of_range_and_taken_twice_are_errors()
    {
        var r = TestClusters.LoadResult("""
            apiVersion: v1
            kind: Service
            metadata: {name: a}
            spec: {type: NodePort, ports: [{port: 80, nodePort: 31000}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: b}
            spec: {type: NodePort, ports: [{port: 80, nodePort: 31000}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: c}
            spec: {type: NodePort, ports: [{port: 80, nodePort: 80}]}
            """);
        Assert.Null(r.Cluster);
        Assert.Equal(new[] { "FP0021", "FP0020" }, r.Diagnostics.Select(d => d.Id));
        // Each at the nodePort field that asks for it, in the API server's words.
        Assert.Equal((9, 53), (r.Diagnostics[0].Location!.Line, r.Diagnostics[0].Location!.Column));
        Assert.Equal("spec.ports[0].nodePort: Invalid value: 31000: provided port is already allocated (by Service default/a)", r.Diagnostics[0].Message);
        Assert.Equal("spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767", r.Diagnostics[1].Message);
    }

    [Fact]
    public void Duplicate_objects_and_yaml_syntax_errors_are_located()
    {
        var r = TestClusters.LoadResult("apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}]}\n");
        var d = Assert.Single(r.Diagnostics);
        Assert.Equal(("FP0007", 8, 18), (d.Id, d.Location!.Line, d.Location.Column));
        Assert.Contains("test.yaml(3,18)", d.Message);

        var syntax = TestClusters.SingleError("apiVersion: v1\nkind: Service\nmetadata: {name: [a\n");
        Assert.Equal("FP0001", syntax.Id);
        Assert.Equal(4, syntax.Location!.Line);
    }

    [Fact]
    public void Unknown_kinds_and_lower_case_protocols_are_warnings_and_still_load()
    {
        var r = TestClusters.LoadResult("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: dns}
            spec: {clusterIP: 10.96.0.10, ports: [{port: 53, protocol: udp}]}
            """);
        Assert.NotNull(r.Cluster);
        Assert.Equal(new[] { "FP0003", "FP0023" }, r.Diagnostics.Select(d => d.Id));
        Assert.Equal("UDP", r.Cluster!.Services[0].Ports[0].Protocol);
    }

    [Fact]
    public void Demo_cluster_loads_clean()
    {
        var r = ClusterLoader.LoadPaths([TestClusters.DemoPath]);
        Assert.Empty(r.Diagnostics);
        var c = r.Cluster!;
        Assert.Equal("10.100.200.1", c.FindService("default", "my-service")!.ClusterIPs[0]);
        Assert.True(c.FindService("default", "my-db")!.IsHeadless);
        Assert.Equal("example.com", c.FindService("default", "my-external-service")!.ExternalName);
        Assert.Equal(Model.Corefile.Plugins.PodMode.Insecure, PodModeOf(c));
    }

    private static Model.Corefile.Plugins.PodMode PodModeOf(Cluster c) => c.Corefile.Kubernetes!.Pods;
}
