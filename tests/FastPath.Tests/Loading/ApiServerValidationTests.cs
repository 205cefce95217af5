using System.Linq;
using FastPath.Model;
using FastPath.Model.Loading;
using Xunit;

namespace FastPath.Tests.Loading;

/// <summary>
/// One row per API server rule FastPath enforces (pkg/apis/core/validation, pkg/apis/discovery/validation,
/// apimachinery's name and label checks, the allocators): the object, the message in Kubernetes' words, and the
/// node it stands at, marked with '^' in the YAML. docs/validation.md lists the same rules.
/// </summary>
public class ApiServerValidationTests
{
    private const string Svc = "apiVersion: v1\nkind: Service\n";
    private const string Slice = "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n";
    private const string Eps = "apiVersion: v1\nkind: Endpoints\n";
    private const string Pod = "apiVersion: v1\nkind: Pod\n";

    [Theory]
    // Service: allocation of nodePorts (portallocator) and ValidateService
    [InlineData(Svc + "metadata: {name: web}\nspec: {type: NodePort, ports: [{port: 80, nodePort: ^80}]}",
        "spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767")]
    [InlineData(Svc + "metadata: {name: web}\nspec: {type: NodePort, ports: [{port: 80, nodePort: ^29999}]}",
        "spec.ports[0].nodePort: Invalid value: 29999: provided port is not in the valid range. The range of valid ports is 30000-32767")]
    [InlineData(Svc + "metadata: {name: web}\nspec: {type: NodePort, ports: [{name: a, port: 80, nodePort: 30080}, {name: b, port: 81, nodePort: ^30080}]}",
        "spec.ports[1].nodePort: Duplicate value: 30080")]
    [InlineData(Svc + "metadata: {name: web}\nspec: {selector: {app: ^Bad Label}, ports: [{port: 80}]}",
        "spec.selector[app]: Invalid value: \"Bad Label\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")]
    [InlineData(Svc + "metadata: {name: web}\nspec: {selector: {^bad key: x}, ports: [{port: 80}]}",
        "spec.selector: Invalid value: \"bad key\": name part must consist of alphanumeric characters")]
    [InlineData(Svc + "metadata: {name: web}\nspec: {ports: [{port: 80, appProtocol: ^a/b/c}]}", "spec.ports[0].appProtocol: Invalid value: \"a/b/c\": a qualified name must consist of")]
    [InlineData(Svc + "metadata: {name: web}\nspec: {type: NodePort, clusterIP: ^None, ports: [{port: 80}]}", "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services")]
    [InlineData(Svc + "metadata: {name: web}\nspec: {type: NodePort, healthCheckNodePort: ^30100, ports: [{port: 80}]}", "spec.healthCheckNodePort: Invalid value: 30100: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'")]
    [InlineData(Svc + "metadata: {name: web}\nspec: {type: NodePort, allocateLoadBalancerNodePorts: ^false, ports: [{port: 80}]}", "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'")]
    [InlineData(Svc + "metadata: {name: web}\nspec: {ipFamilyPolicy: ^Twice, ports: [{port: 80}]}", "spec.ipFamilyPolicy: unsupported value 'Twice'")]
    [InlineData(Svc + "metadata: {name: web}\nspec: {ipFamilyPolicy: ^SingleStack, ipFamilies: [IPv4, IPv6], ports: [{port: 80}]}", "spec.ipFamilyPolicy: Invalid value: \"SingleStack\": must be 'RequireDualStack' or 'PreferDualStack' when multiple 'ipFamilies' are specified")]
    [InlineData(Svc + "metadata: {name: web}\nspec: {ipFamilyPolicy: RequireDualStack, ipFamilies: ^[IPv4, IPv4], ports: [{port: 80}]}", "spec.ipFamilies[1]: Duplicate value: \"IPv4\"")]
    [InlineData(Svc + "metadata: {name: web}\nspec: {clusterIP: ^10.96.0.5, ipFamilies: [IPv6], ports: [{port: 80}]}", "spec.clusterIPs[0]: Invalid value: \"10.96.0.5\": expected an IPv6 value as indicated by `ipFamilies[0]`")]
    [InlineData(Svc + "metadata: {name: web}\nspec: {externalIPs: ^[127.0.0.1], ports: [{port: 80}]}", "spec.externalIPs[0]: Invalid value: \"127.0.0.1\": may not be in the loopback range")]
    [InlineData(Svc + "metadata: {name: web}\nspec: {type: ExternalName, externalName: example.com, ipFamilyPolicy: ^SingleStack}", "spec.ipFamilyPolicy: Forbidden: must not be set for ExternalName services")]
    // ObjectMeta (every kind): labels and annotations
    [InlineData(Svc + "metadata: {name: web, labels: {tier: ^0123456789012345678901234567890123456789012345678901234567890123}}\nspec: {ports: [{port: 80}]}", "metadata.labels[tier]: Invalid value: \"0123456789012345678901234567890123456789012345678901234567890123\": must be no more than 63 characters")]
    [InlineData(Svc + "metadata: {name: web, annotations: {^example.com/a/b: x}}\nspec: {ports: [{port: 80}]}", "metadata.annotations: Invalid value: \"example.com/a/b\": a qualified name must consist of")]
    [InlineData(Svc + "metadata: {name: web, labels: {^-x.example.com/app: x}}\nspec: {ports: [{port: 80}]}", "metadata.labels: Invalid value: \"-x.example.com/app\": prefix part a lowercase RFC 1123 subdomain must consist of")]
    // EndpointSlice (pkg/apis/discovery/validation)
    [InlineData(Slice + "metadata: {name: web-1, labels: {kubernetes.io/service-name: web}}\naddressType: IPv4\nports: [{name: ^Web_Port, port: 80}]",
        "ports[0].name: Invalid value: \"Web_Port\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")]
    [InlineData(Slice + "metadata: {name: web-1, labels: {kubernetes.io/service-name: web}}\naddressType: IPv4\nports: [{name: http, port: 80}, {name: ^http, port: 81}]", "ports[1].name: Duplicate value: \"http\"")]
    [InlineData(Slice + "metadata: {name: ^Web_1, labels: {kubernetes.io/service-name: web}}\naddressType: IPv4\nports: [{port: 80}]", "metadata.name: Invalid value: \"Web_1\": a lowercase RFC 1123 subdomain must consist of")]
    [InlineData(Slice + "metadata: {name: web-1, labels: {kubernetes.io/service-name: web}}\naddressType: IPv4\nendpoints: [{addresses: [10.0.0.1], hostname: ^Web.1}]", "endpoints[0].hostname: Invalid value: \"Web.1\": a lowercase RFC 1123 label must consist of")]
    [InlineData(Slice + "metadata: {name: web-1, labels: {kubernetes.io/service-name: web}}\naddressType: FQDN\nendpoints: [{addresses: ^[localhost]}]", "endpoints[0].addresses[0]: Invalid value: \"localhost\": should be a domain with at least two segments separated by dots")]
    [InlineData(Slice + "metadata: {name: web-1, labels: {kubernetes.io/service-name: web}}\naddressType: IPv4\nports: [{port: 80, appProtocol: ^\"not valid\"}]", "ports[0].appProtocol: Invalid value: \"not valid\": name part must consist of")]
    // Endpoints (ValidateEndpoints)
    [InlineData(Eps + "metadata: {name: web}\nsubsets: [^{ports: [{port: 80}]}]", "subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`")]
    [InlineData(Eps + "metadata: {name: web}\nsubsets: [{addresses: [{ip: 10.0.0.1}], ports: [{name: a, port: 80}, ^{port: 81}]}]", "subsets[0].ports[1].name: Required value")]
    [InlineData(Eps + "metadata: {name: web}\nsubsets: [{addresses: [{ip: 10.0.0.1}], ports: [{name: ^A_1, port: 80}]}]", "subsets[0].ports[0].name: Invalid value: \"A_1\": a lowercase RFC 1123 label")]
    [InlineData(Eps + "metadata: {name: web}\nsubsets: [{addresses: [{ip: ^169.254.1.1}], ports: [{port: 80}]}]", "subsets[0].addresses[0].ip: Invalid value: \"169.254.1.1\": may not be in the link-local range")]
    [InlineData(Eps + "metadata: {name: web}\nsubsets: [{addresses: [{ip: 10.0.0.1}], ports: [{port: ^0}]}]", "subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive")]
    // Pod (ValidatePodSpec, the fields FastPath reads)
    [InlineData(Pod + "metadata: {name: p}\nspec: {hostname: ^Host_1, containers: [{name: c}]}", "spec.hostname: Invalid value: \"Host_1\": a lowercase RFC 1123 label must consist of")]
    [InlineData(Pod + "metadata: {name: p}\nspec: {subdomain: ^a.b, containers: [{name: c}]}", "spec.subdomain: Invalid value: \"a.b\": a lowercase RFC 1123 label must consist of")]
    [InlineData(Pod + "metadata: {name: p}\nspec: {containers: [{name: c, ports: [{containerPort: ^70000}]}]}", "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive")]
    [InlineData(Pod + "metadata: {name: p}\nspec: {containers: [{name: c, ports: [{name: http, containerPort: 80}]}, {name: d, ports: [{name: ^http, containerPort: 81}]}]}", "spec.containers[1].ports[0].name: Duplicate value: \"http\"")]
    [InlineData(Pod + "metadata: {name: p}\nspec: {containers: [{name: c, ports: [{name: ^http-port-name-too-long, containerPort: 80}]}]}", "spec.containers[0].ports[0].name: Invalid value: \"http-port-name-too-long\": must be no more than 15 characters")]
    [InlineData(Pod + "metadata: {name: p}\nspec: {containers: [{name: c}]}\nstatus: {podIPs: ^[{ip: 10.0.0.1}, {ip: 10.0.0.2}]}", "status.podIPs: Invalid value: \"10.0.0.1,10.0.0.2\": may specify no more than one IP for each IP family")]
    [InlineData(Pod + "metadata: {name: ^Pod_1}\nspec: {containers: [{name: c}]}", "metadata.name: Invalid value: \"Pod_1\": a lowercase RFC 1123 subdomain must consist of")]
    // Node and Namespace (ValidateNode, ValidateNamespace: their metadata)
    [InlineData("apiVersion: v1\nkind: Node\nmetadata: {name: ^Node_1}", "metadata.name: Invalid value: \"Node_1\": a lowercase RFC 1123 subdomain must consist of")]
    [InlineData("apiVersion: v1\nkind: Node\nmetadata: {name: n1, labels: {topology.kubernetes.io/zone: ^zone a}}", "metadata.labels[topology.kubernetes.io/zone]: Invalid value: \"zone a\": a valid label must be")]
    [InlineData("apiVersion: v1\nkind: Namespace\nmetadata: {name: prod, labels: {^a/b/c: x}}", "metadata.labels: Invalid value: \"a/b/c\": a qualified name must consist of")]
    [InlineData("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: coredns, namespace: kube-system, labels: {k8s-app: ^kube dns}}\ndata: {Corefile: \".:53 {\\n kubernetes\\n}\"}", "metadata.labels[k8s-app]: Invalid value: \"kube dns\": a valid label must be")]
    public void Each_api_server_rule_is_an_error_in_its_words_at_its_field(string marked, string message)
    {
        var (yaml, line, column) = Unmark(marked);
        var r = TestClusters.LoadResult(yaml + "\n");
        Assert.Null(r.Cluster);
        var errors = r.Diagnostics.Where(d => d.IsError).ToList();
        Assert.True(errors.Count == 1, "expected one error, got:\n" + string.Join("\n", r.Diagnostics));
        Assert.StartsWith(message, errors[0].Message);
        Assert.Equal(("test.yaml", line, column), (errors[0].Location!.Path, errors[0].Location!.Line, errors[0].Location!.Column));
    }

    [Fact]
    public void A_cluster_ip_service_without_ports_loads_with_the_api_servers_objection_as_a_warning()
    {
        var (yaml, line, column) = Unmark(Svc + "metadata: {name: web}\nspec: ^{clusterIP: 10.96.0.9}\n");
        var r = TestClusters.LoadResult(yaml);
        Assert.NotNull(r.Cluster);
        var w = Assert.Single(r.Diagnostics);
        Assert.Equal(($"test.yaml({line},{column}): warning FP0066: spec.ports: Required value; the API server would refuse this object, CoreDNS and kube-proxy serve it as it is"), w.ToString());
    }

    [Fact]
    public void External_traffic_policy_on_a_cluster_ip_service_is_the_api_servers_objection_as_a_warning()
    {
        var (yaml, line, column) = Unmark(Svc + "metadata: {name: web}\nspec: {externalTrafficPolicy: ^Local, ports: [{port: 80}]}\n");
        var r = TestClusters.LoadResult(yaml);
        Assert.NotNull(r.Cluster);
        Assert.Equal($"test.yaml({line},{column}): warning FP0066: spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set for externally-accessible services; the API server would refuse this object, CoreDNS and kube-proxy serve it as it is",
            Assert.Single(r.Diagnostics).ToString());
    }

    [Fact]
    public void A_loopback_endpoint_loads_with_the_api_servers_objection_as_a_warning()
    {
        // kube-proxy and CoreDNS serve it as given: what local development with real backends on 127.0.0.1 needs.
        var (yaml, line, column) = Unmark(Slice + "metadata: {name: web-1, labels: {kubernetes.io/service-name: web}}\naddressType: IPv4\nendpoints: [{addresses: ^[127.0.0.1]}]\n");
        var r = TestClusters.LoadResult(yaml);
        Assert.NotNull(r.Cluster);
        var w = Assert.Single(r.Diagnostics, d => d.Id == "FP0066");
        Assert.Equal($"test.yaml({line},{column}): warning FP0066: endpoints[0].addresses[0]: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128); the API server would refuse this object, CoreDNS and kube-proxy serve it as it is", w.ToString());
        Assert.Contains(TestClusters.LoadResult(yaml.Replace("127.0.0.1", "169.254.0.1")).Diagnostics, d => d.IsError && d.Message.Contains("link-local"));
    }

    [Fact]
    public void Every_field_error_of_an_object_is_reported_at_once()
    {
        var r = TestClusters.LoadResult(Svc + """
            metadata: {name: web, labels: {app: Bad Label}}
            spec:
              type: NodePort
              selector: {app: Bad Label}
              ports:
              - {name: Web_Port, port: 80, nodePort: 80}
              - {name: b, port: 81, nodePort: 29999}
            """);
        Assert.Null(r.Cluster);
        Assert.Equal(new[] { "metadata.labels[app]", "spec.selector[app]", "spec.ports[0].name", "spec.ports[0].nodePort", "spec.ports[1].nodePort" },
            r.Diagnostics.Select(d => d.Message.Contains(": Invalid value") ? d.Message.Substring(0, d.Message.IndexOf(": Invalid value", System.StringComparison.Ordinal)) : d.Message.Split(' ')[0]));
    }

    [Fact]
    public void Annotations_over_256_KiB_in_total_are_refused_as_the_api_server_does()
    {
        var big = new string('x', 130 * 1024);
        var r = TestClusters.LoadResult(Svc + $"metadata:\n  name: web\n  annotations: {{a: {big}, b: {big}}}\nspec: {{ports: [{{port: 80}}]}}\n");
        var e = Assert.Single(r.Diagnostics);
        Assert.Equal("metadata.annotations: Too long: may not be more than 262144 bytes", e.Message);
        Assert.Equal((5, 16), (e.Location!.Line, e.Location.Column));
        // Just under the limit loads.
        var ok = new string('x', 120 * 1024);
        Assert.NotNull(TestClusters.LoadResult(Svc + $"metadata:\n  name: web\n  annotations: {{a: {ok}, b: {ok}}}\nspec: {{ports: [{{port: 80}}]}}\n").Cluster);
    }

    [Fact]
    public void Endpoint_slice_with_more_than_100_addresses_in_one_endpoint_is_refused()
    {
        var addrs = string.Join(", ", Enumerable.Range(1, 101).Select(i => $"10.0.{i / 250}.{i % 250 + 1}"));
        var r = TestClusters.LoadResult(Slice + $"metadata: {{name: web-1, labels: {{kubernetes.io/service-name: web}}}}\naddressType: IPv4\nendpoints: [{{addresses: [{addrs}]}}]\n");
        Assert.Equal("endpoints[0].addresses: Invalid value: 101: Too many: must have at most 100 items", Assert.Single(r.Diagnostics, d => d.IsError).Message);
    }

    [Fact]
    public void Node_port_range_is_configurable_and_allocation_stays_inside_it()
    {
        const string yaml = Svc + "metadata: {name: web}\nspec: {type: NodePort, ports: [{port: 80, nodePort: 30200}]}\n";
        Assert.NotNull(TestClusters.LoadResult(yaml).Cluster);
        var narrow = new LoadOptions { NodePortRange = "30000-30099" };
        var r = ClusterLoader.LoadTexts([new ManifestText("test.yaml", yaml)], narrow);
        Assert.Equal("spec.ports[0].nodePort: Invalid value: 30200: provided port is not in the valid range. The range of valid ports is 30000-30099", Assert.Single(r.Diagnostics).Message);

        var auto = ClusterLoader.LoadTexts([new ManifestText("test.yaml", Svc + "metadata: {name: web}\nspec: {type: NodePort, ports: [{port: 80}]}\n")],
            new LoadOptions { NodePortRange = "40000+10" }).Cluster!;
        Assert.InRange(auto.Services[0].Ports[0].NodePort, 40000, 40009);

        var bad = ClusterLoader.LoadTexts([new ManifestText("test.yaml", yaml)], new LoadOptions { NodePortRange = "32767-30000" });
        Assert.StartsWith("--service-node-port-range: Invalid value: \"32767-30000\"", Assert.Single(bad.Diagnostics).Message);
    }

    [Fact]
    public void Cluster_ip_outside_the_service_cidr_and_a_taken_cluster_ip_are_located_at_the_field()
    {
        var r = TestClusters.LoadResult(Svc + "metadata: {name: a}\nspec: {clusterIP: 10.96.1.1, ports: [{port: 80}]}\n---\n" +
                                        Svc + "metadata: {name: b}\nspec: {clusterIP: 10.96.1.1, ports: [{port: 80}]}\n---\n" +
                                        Svc + "metadata: {name: c}\nspec: {clusterIP: 172.20.0.1, ports: [{port: 80}]}\n", serviceCidr: "10.96.0.0/12");
        Assert.Equal(new[]
        {
            "test.yaml(9,19): warning FP0015: spec.clusterIPs[0]: Invalid value: \"10.96.1.1\": failed to allocate IP 10.96.1.1: provided IP is already allocated (by Service default/a); the API server would refuse this, CoreDNS and kube-proxy serve both",
            "test.yaml(14,19): error FP0016: spec.clusterIPs[0]: Invalid value: \"172.20.0.1\": failed to allocate IP 172.20.0.1: the provided IP (172.20.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12",
        }, r.Diagnostics.Select(d => d.ToString()));
    }

    /// <summary>Removes the '^' marker and returns the 1-based line and column where it stood.</summary>
    internal static (string Text, int Line, int Column) Unmark(string marked)
    {
        int at = marked.IndexOf('^');
        Assert.True(at >= 0, "the row marks its node with '^'");
        var before = marked.Substring(0, at);
        int line = before.Count(c => c == '\n') + 1;
        int column = at - (before.LastIndexOf('\n') + 1) + 1;
        return (marked.Remove(at, 1), line, column);
    }
}
