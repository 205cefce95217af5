using System.IO;
using Xunit;
using static FastPath.Tests.Cli.CheckCommandTests;

namespace FastPath.Tests.Cli;

public class PodDnsCommandTests
{
    private static string HostFile(string text)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("fastpath-resolv-").FullName, "resolv.conf");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Resolvconf_prints_exactly_the_file_the_kubelet_writes()
    {
        var host = HostFile("nameserver 192.0.2.53\nsearch corp.example.\noptions ndots:1 timeout:2\n");
        var (exit, output, err) = Run("resolvconf", "--manifests", TestClusters.DemoPath, "--pod", "shop/frontend-a", "--resolv-conf", host);
        Assert.Equal(0, exit);
        Assert.Equal("", err);
        Assert.Equal("search shop.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver 10.96.0.10\noptions ndots:5\n", output);
    }

    [Fact]
    public void Resolvconf_takes_the_kubelets_flags()
    {
        var (exit, output, _) = Run("resolvconf", "--manifests", TestClusters.DemoPath, "--pod", "shop/frontend-a", "--resolv-conf", "",
            "--cluster-dns", "10.0.0.10", "--cluster-dns", "10.0.0.11", "--cluster-domain", "corp.internal");
        Assert.Equal(0, exit);
        Assert.Equal("search shop.svc.corp.internal svc.corp.internal corp.internal\nnameserver 10.0.0.10\nnameserver 10.0.0.11\noptions ndots:5\n", output);
    }

    [Fact]
    public void Resolvconf_for_an_unknown_pod_or_a_missing_host_file_is_a_clear_error()
    {
        var (exit, _, err) = Run("resolvconf", "--manifests", TestClusters.DemoPath, "--pod", "shop/nope", "--resolv-conf", "");
        Assert.Equal(1, exit);
        Assert.Contains("no Pod shop/nope in the manifests", err);
        (exit, _, err) = Run("resolvconf", "--manifests", TestClusters.DemoPath, "--pod", "shop/frontend-a", "--resolv-conf", "/nonexistent/resolv.conf");
        Assert.Equal(1, exit);
        Assert.Contains("--resolv-conf /nonexistent/resolv.conf: no such file", err);
    }

    [Fact]
    public void Lookup_explain_lists_each_name_tried_and_the_query_count()
    {
        var (exit, output, _) = Run("lookup", "example.com", "--manifests", TestClusters.DemoPath, "--pod", "shop/frontend-a", "--resolv-conf", "", "--explain");
        Assert.Equal(0, exit);
        Assert.Equal(
            ";; example.com A from pod shop/frontend-a: search shop.svc.cluster.local svc.cluster.local cluster.local; ndots:5\n" +
            "try example.com.shop.svc.cluster.local. NXDOMAIN\n" +
            "try example.com.svc.cluster.local. NXDOMAIN\n" +
            "try example.com.cluster.local. NXDOMAIN\n" +
            "try example.com. FORWARD\n" +
            ";; FORWARD: example.com. leaves the cluster: its DNS forwards it to /etc/resolv.conf; the pod gets that server's answer\n" +
            ";; queries: 4 from the pod's resolver to 10.96.0.10 (8 when getaddrinfo asks A and AAAA); FastPath in-process: 0\n",
            output.Replace("\r\n", "\n"));
    }

    [Theory]
    [InlineData("snapshot")]
    [InlineData("reference")]
    public void Lookup_of_a_short_name_prints_the_answer_the_pod_gets(string engine)
    {
        var (exit, output, _) = Run("lookup", "cart.shop", "--manifests", TestClusters.DemoPath, "--pod", "shop/frontend-a", "--resolv-conf", "", "--engine", engine, "--explain");
        Assert.Equal(0, exit);
        Assert.Contains("try cart.shop.shop.svc.cluster.local. NXDOMAIN\ntry cart.shop.svc.cluster.local. NOERROR\ncart.shop.svc.cluster.local.\t30\tIN\tA\t", output);
        Assert.Contains(";; queries: 2 ", output);
    }

    [Fact]
    public void Lookup_of_a_missing_record_type_is_nodata_after_the_whole_walk()
    {
        // 4 dots < ndots:5: the three search names first (NXDOMAIN), then the name as is, which exists without AAAA.
        var (exit, output, _) = Run("lookup", "cart.shop.svc.cluster.local", "--type", "AAAA", "--manifests", TestClusters.DemoPath, "--pod", "shop/frontend-a", "--resolv-conf", "", "--explain");
        Assert.Equal(0, exit);
        Assert.Contains("try cart.shop.svc.cluster.local.cluster.local. NXDOMAIN\ntry cart.shop.svc.cluster.local. NODATA\n", output);
        Assert.Contains(";; NODATA: no answer for cart.shop.svc.cluster.local on any name tried", output);
        Assert.Contains(";; queries: 4 ", output);
    }
}
