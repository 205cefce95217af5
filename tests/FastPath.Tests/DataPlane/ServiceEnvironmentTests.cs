using System.Linq;
using FastPath.Reference.DataPlane;
using Xunit;

namespace FastPath.Tests.DataPlane;

/// <summary>The kubelet's service variables (envvars.go FromServices, kubelet_pods.go getServiceEnvVarMap).</summary>
public class ServiceEnvironmentTests
{
    private const string Services = """
        apiVersion: v1
        kind: Service
        metadata: {name: kubernetes, namespace: default}
        spec: {clusterIP: 10.96.0.1, ports: [{name: https, port: 443}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: foo-bar, namespace: ns}
        spec:
          clusterIP: 1.2.3.4
          ports:
          - {port: 8080, protocol: TCP}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: dns, namespace: ns}
        spec:
          clusterIP: "2001:db8::10"
          ports:
          - {name: d-n-s, port: 53, protocol: UDP}
          - {name: dns-tcp, port: 53, protocol: TCP}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: headless, namespace: ns}
        spec: {clusterIP: None, ports: [{port: 80}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: ext, namespace: ns}
        spec: {type: ExternalName, externalName: example.com}
        """;

    private static string Env(string yaml, string ns, bool links = true) =>
        string.Join("\n", ServiceEnvironment.For(TestClusters.Load(yaml), ns, links).Select(kv => $"{kv.Key}={kv.Value}"));

    [Fact]
    public void Pod_namespace_services_and_the_master_service_with_exact_names_and_order()
    {
        Assert.Equal("""
            DNS_SERVICE_HOST=2001:db8::10
            DNS_SERVICE_PORT=53
            DNS_SERVICE_PORT_D_N_S=53
            DNS_SERVICE_PORT_DNS_TCP=53
            DNS_PORT=udp://[2001:db8::10]:53
            DNS_PORT_53_UDP=udp://[2001:db8::10]:53
            DNS_PORT_53_UDP_PROTO=udp
            DNS_PORT_53_UDP_PORT=53
            DNS_PORT_53_UDP_ADDR=2001:db8::10
            DNS_PORT_53_TCP=tcp://[2001:db8::10]:53
            DNS_PORT_53_TCP_PROTO=tcp
            DNS_PORT_53_TCP_PORT=53
            DNS_PORT_53_TCP_ADDR=2001:db8::10
            FOO_BAR_SERVICE_HOST=1.2.3.4
            FOO_BAR_SERVICE_PORT=8080
            FOO_BAR_PORT=tcp://1.2.3.4:8080
            FOO_BAR_PORT_8080_TCP=tcp://1.2.3.4:8080
            FOO_BAR_PORT_8080_TCP_PROTO=tcp
            FOO_BAR_PORT_8080_TCP_PORT=8080
            FOO_BAR_PORT_8080_TCP_ADDR=1.2.3.4
            KUBERNETES_SERVICE_HOST=10.96.0.1
            KUBERNETES_SERVICE_PORT=443
            KUBERNETES_SERVICE_PORT_HTTPS=443
            KUBERNETES_PORT=tcp://10.96.0.1:443
            KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443
            KUBERNETES_PORT_443_TCP_PROTO=tcp
            KUBERNETES_PORT_443_TCP_PORT=443
            KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1
            """, Env(Services, "ns"));
    }

    [Fact]
    public void Without_service_links_only_the_master_service_remains()
    {
        var env = Env(Services, "ns", links: false);
        Assert.StartsWith("KUBERNETES_SERVICE_HOST=10.96.0.1", env);
        Assert.DoesNotContain("FOO_BAR", env);
    }

    [Fact]
    public void A_kubernetes_service_in_the_pod_namespace_replaces_the_master_one_only_with_links()
    {
        var yaml = Services + "\n---\napiVersion: v1\nkind: Service\nmetadata: {name: kubernetes, namespace: ns}\nspec: {clusterIP: 1.2.3.5, ports: [{port: 8443}]}\n";
        Assert.Contains("KUBERNETES_SERVICE_HOST=1.2.3.5", Env(yaml, "ns"));
        Assert.Contains("KUBERNETES_SERVICE_HOST=10.96.0.1", Env(yaml, "ns", links: false));
    }

    [Fact]
    public void Other_namespaces_get_only_their_own_services()
    {
        var env = Env(Services, "default");
        Assert.DoesNotContain("FOO_BAR", env);
        Assert.Contains("KUBERNETES_SERVICE_PORT=443", env);
    }
}
