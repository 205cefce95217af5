using System.Linq;
using FastPath.Model;
using FastPath.Model.Kubelet;
using Xunit;

namespace FastPath.Tests.Kubelet;

/// <summary>spec.dnsPolicy and spec.dnsConfig read from manifests, refused where the API server refuses them.</summary>
public class PodDnsLoadingTests
{
    private const string Head = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\nspec:\n  containers: [{name: c, image: x}]\n";

    [Fact]
    public void Dns_policy_and_config_are_read_from_the_pod_spec()
    {
        var cluster = TestClusters.Load(Head + "  dnsPolicy: None\n  dnsConfig:\n    nameservers: [1.2.3.4]\n    searches: [ns1.svc.cluster-domain.example, my.dns.search.suffix.]\n    options:\n    - {name: ndots, value: \"2\"}\n    - {name: edns0}\n");
        var pod = Assert.Single(cluster.Pods);
        Assert.Equal(DnsPolicy.None, pod.DnsPolicy);
        var conf = ResolvConfBuilder.For(pod, new ResolvConfSettings()).ResolvConf!;
        Assert.Equal("search ns1.svc.cluster-domain.example my.dns.search.suffix.\nnameserver 1.2.3.4\noptions ndots:2 edns0\n", conf.ToString());
    }

    [Fact]
    public void Empty_dns_policy_is_cluster_first()
    {
        var pod = Assert.Single(TestClusters.Load(Head).Pods);
        Assert.Equal(DnsPolicy.ClusterFirst, pod.DnsPolicy);
        Assert.Null(pod.DnsConfig);
    }

    [Theory]
    [InlineData("  dnsPolicy: None\n", "FP0041", "spec.dnsConfig is required when spec.dnsPolicy is None")]
    [InlineData("  dnsPolicy: None\n  dnsConfig: {searches: [a.example]}\n", "FP0041", "must hold at least one nameserver when spec.dnsPolicy is None")]
    [InlineData("  dnsPolicy: Cluster\n", "FP0010", "spec.dnsPolicy: unsupported value 'Cluster'")]
    [InlineData("  dnsConfig: {nameservers: [1.1.1.1, 2.2.2.2, 3.3.3.3, 4.4.4.4]}\n", "FP0041", "must not have more than 3 nameservers, not 4")]
    [InlineData("  dnsConfig: {nameservers: [not-an-ip]}\n", "FP0014", "'not-an-ip' is not a valid IP address")]
    [InlineData("  dnsConfig: {searches: [Bad_Domain]}\n", "FP0041", "'Bad_Domain' must be a DNS-1123 subdomain")]
    public void Invalid_dns_settings_are_located_errors(string spec, string id, string message)
    {
        var d = TestClusters.SingleError(Head + spec);
        Assert.Equal(id, d.Id);
        Assert.Contains(message, d.Message);
        Assert.Equal("test.yaml", d.Location!.Path);
    }

    [Fact]
    public void More_than_32_searches_are_refused()
    {
        var searches = string.Join(", ", System.Linq.Enumerable.Range(1, 33).Select(i => $"d{i}.example"));
        var d = TestClusters.SingleError(Head + $"  dnsConfig: {{searches: [{searches}]}}\n");
        Assert.Contains("must not have more than 32 search paths, not 33", d.Message);
    }

    [Fact]
    public void Cluster_defaults_are_kube_dns_cluster_ip_and_the_corefile_zone()
    {
        var cluster = TestClusters.Load(Head + "---\napiVersion: v1\nkind: Service\nmetadata: {name: kube-dns, namespace: kube-system}\nspec: {clusterIP: 10.96.0.10, ports: [{name: dns, port: 53, protocol: UDP}]}\n",
            corefile: ".:53 {\n  kubernetes corp.internal in-addr.arpa\n  forward . /etc/resolv.conf\n}\n");
        var settings = ResolvConfSettings.ForCluster(cluster, null);
        Assert.Equal(["10.96.0.10"], settings.ClusterDns);
        Assert.Equal("corp.internal", settings.ClusterDomain);
    }
}
