using System.Collections.Generic;
using System.Linq;
using System.Net;
using FastPath.Model;
using FastPath.Model.Kubelet;
using Xunit;

namespace FastPath.Tests.Kubelet;

/// <summary>The kubelet's pkg/kubelet/network/dns/dns_test.go tables, under the current limits (32 searches, 2,048 characters).</summary>
public class ResolvConfBuilderTests
{
    private static Pod NewPod(string ns = "testNS", DnsPolicy policy = DnsPolicy.ClusterFirst, bool hostNetwork = false, PodDnsConfig? config = null) =>
        new() { Meta = new ObjectMeta(ns, "test_pod", null), DnsPolicy = policy, HostNetwork = hostNetwork, DnsConfig = config };

    // TestParseResolvConf
    [Theory]
    [InlineData("", "", "", "")]
    [InlineData(" ", "", "", "")]
    [InlineData("\n", "", "", "")]
    [InlineData("\t\n\t", "", "", "")]
    [InlineData("#comment\n", "", "", "")]
    [InlineData(" #comment\n", "", "", "")]
    [InlineData("#comment\n#comment", "", "", "")]
    [InlineData("#comment\nnameserver 1.2.3.4\nsearch", "1.2.3.4", "", "")]
    [InlineData("nameserver 1.2.3.4", "1.2.3.4", "", "")]
    [InlineData(" nameserver 1.2.3.4", "1.2.3.4", "", "")]
    [InlineData("\tnameserver 1.2.3.4", "1.2.3.4", "", "")]
    [InlineData("nameserver\t1.2.3.4", "1.2.3.4", "", "")]
    [InlineData("nameserver \t 1.2.3.4", "1.2.3.4", "", "")]
    [InlineData("nameserver 1.2.3.4\nnameserver 5.6.7.8", "1.2.3.4 5.6.7.8", "", "")]
    [InlineData("nameserver 1.2.3.4 #comment", "1.2.3.4", "", "")]
    [InlineData("search ", "", "", "")]
    [InlineData("search foo", "", "foo", "")]
    [InlineData("search foo bar", "", "foo bar", "")]
    [InlineData("search foo. bar", "", "foo bar", "")]
    [InlineData("search foo bar bat\n", "", "foo bar bat", "")]
    [InlineData("search foo\nsearch bar", "", "bar", "")]
    [InlineData("nameserver 1.2.3.4\nsearch foo bar", "1.2.3.4", "foo bar", "")]
    [InlineData("nameserver 1.2.3.4\nsearch foo\nnameserver 5.6.7.8\nsearch bar", "1.2.3.4 5.6.7.8", "bar", "")]
    [InlineData("#comment\nnameserver 1.2.3.4\n#comment\nsearch foo\ncomment", "1.2.3.4", "foo", "")]
    [InlineData("options ", "", "", "")]
    [InlineData("options ndots:5 attempts:2", "", "", "ndots:5 attempts:2")]
    [InlineData("options ndots:1\noptions ndots:5 attempts:3", "", "", "ndots:5 attempts:3")]
    [InlineData("nameserver 1.2.3.4\nsearch foo\nnameserver 5.6.7.8\nsearch bar\noptions ndots:5 attempts:4", "1.2.3.4 5.6.7.8", "bar", "ndots:5 attempts:4")]
    [InlineData("domain corp.example\nnameserver 1.2.3.4", "1.2.3.4", "", "")]
    public void Host_file_is_read_as_the_kubelet_reads_it(string data, string nameservers, string searches, string options)
    {
        var conf = ResolvConf.Parse(data, out var errors);
        Assert.Empty(errors);
        Assert.Equal(Split(nameservers), conf.Nameservers);
        Assert.Equal(Split(searches), conf.Searches);
        Assert.Equal(Split(options), conf.Options);
    }

    [Theory]
    [InlineData("#comment\nnameserver")]
    [InlineData("#comment\nnameserver\nsearch")]
    public void Host_file_with_an_empty_nameserver_line_is_an_error_that_fails_every_pod(string data)
    {
        ResolvConf.Parse(data, out var errors);
        Assert.Single(errors);
        var formed = ResolvConfBuilder.For(NewPod(), new ResolvConfSettings { ClusterDns = ["10.0.0.10"], ClusterDomain = "cluster.local", HostResolvConf = data });
        Assert.Null(formed.ResolvConf);
        Assert.Contains("nameserver list is empty", formed.Error);
    }

    private static string[] Split(string s) => s.Split(' ', System.StringSplitOptions.RemoveEmptyEntries);

    private static readonly string[] SearchPathList2048Chars =
        [new string('A', 128), .. Enumerable.Repeat(new string('A', 127), 15)];

    // TestFormDNSSearchFitsLimits
    public static IEnumerable<object[]> SearchLimitCases()
    {
        yield return ["valid: 3 search paths", new[] { "testNS.svc.TEST", "svc.TEST", "TEST" }, new[] { "testNS.svc.TEST", "svc.TEST", "TEST" }, false];
        yield return ["valid: 5 search paths", new[] { "testNS.svc.TEST", "svc.TEST", "TEST", "AAA", "BBB" }, new[] { "testNS.svc.TEST", "svc.TEST", "TEST", "AAA", "BBB" }, false];
        yield return ["invalid: a search path longer than 253 characters",
            new[] { "testNS.svc.TEST", "svc.TEST", "TEST", "AAA", new string('B', 256), "BBB" }, new[] { "testNS.svc.TEST", "svc.TEST", "TEST", "AAA", "BBB" }, true];
        yield return ["valid: 2048 characters in search path list", SearchPathList2048Chars, SearchPathList2048Chars, false];
        yield return ["invalid: 2050 characters in search path list", SearchPathList2048Chars.Append("B").ToArray(), SearchPathList2048Chars, true];
        var thirtyTwo = new[] { "testNS.svc.TEST", "svc.TEST", "TEST" }.Concat(Enumerable.Range(4, 29).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        yield return ["valid: 32 search paths", thirtyTwo, thirtyTwo, false];
        yield return ["invalid: 33 search paths", thirtyTwo.Append("33").ToArray(), thirtyTwo, true];
    }

    [Theory]
    [MemberData(nameof(SearchLimitCases))]
    public void Search_line_is_cut_to_the_kubelets_limits(string desc, string[] hostNames, string[] expected, bool exceeded)
    {
        var result = ResolvConfBuilder.FitSearches(hostNames, out bool cut);
        Assert.True(expected.SequenceEqual(result), desc);
        Assert.Equal(exceeded, cut);
    }

    [Fact]
    public void Search_limits_exceeded_record_the_kubelets_event_with_the_applied_line()
    {
        var pod = NewPod(policy: DnsPolicy.None, config: new PodDnsConfig { Nameservers = ["10.0.0.10"], Searches = ["AAA", new string('B', 256), "BBB"] });
        var formed = ResolvConfBuilder.For(pod, new ResolvConfSettings());
        Assert.Equal(["AAA", "BBB"], formed.ResolvConf!.Searches);
        Assert.Equal(["DNSConfigForming: Search Line limits were exceeded, some search paths have been omitted, the applied search line is: AAA BBB"], formed.Events);
    }

    // TestFormDNSNameserversFitsLimits
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1", false)]
    [InlineData("127.0.0.1 10.0.0.10 8.8.8.8", "127.0.0.1 10.0.0.10 8.8.8.8", false)]
    [InlineData("127.0.0.1 10.0.0.10 8.8.8.8 1.2.3.4", "127.0.0.1 10.0.0.10 8.8.8.8", true)]
    public void Nameservers_are_cut_to_three(string given, string expected, bool eventExpected)
    {
        var host = string.Concat(Split(given).Select(ns => $"nameserver {ns}\n"));
        var formed = ResolvConfBuilder.For(NewPod(policy: DnsPolicy.Default), new ResolvConfSettings { HostResolvConf = host });
        Assert.Equal(Split(expected), formed.ResolvConf!.Nameservers);
        Assert.Equal(eventExpected, formed.Events.Any(e => e.StartsWith("DNSConfigForming: Nameserver limits were exceeded", System.StringComparison.Ordinal)));
    }

    // TestMergeDNSOptions (upstream compares as sets; FastPath also fixes the order: base first, new names appended)
    [Fact]
    public void Options_merge_by_name_with_the_pods_value_winning()
    {
        Assert.Equal(["ndots:5", "debug"], ResolvConfBuilder.MergeOptions(["ndots:5", "debug"], []));
        Assert.Equal(["ndots:5", "debug", "single-request", "attempts:3"],
            ResolvConfBuilder.MergeOptions(["ndots:5", "debug"], [new PodDnsOption("single-request", null), new PodDnsOption("attempts", "3")]));
        Assert.Equal(["ndots:3", "debug", "single-request", "attempts:3"],
            ResolvConfBuilder.MergeOptions(["ndots:5", "debug"],
                [new PodDnsOption("ndots", "3"), new PodDnsOption("debug", null), new PodDnsOption("single-request", null), new PodDnsOption("attempts", "3")]));
    }

    // TestGetPodDNSType, observed through the file each type produces.
    [Theory]
    [InlineData(DnsPolicy.ClusterFirst, false, "cluster")]
    [InlineData(DnsPolicy.ClusterFirstWithHostNet, true, "cluster")]
    [InlineData(DnsPolicy.ClusterFirstWithHostNet, false, "cluster")]
    [InlineData(DnsPolicy.Default, false, "host")]
    [InlineData(DnsPolicy.Default, true, "host")]
    [InlineData(DnsPolicy.ClusterFirst, true, "host")]
    public void Dns_policy_and_host_network_choose_the_base(DnsPolicy policy, bool hostNetwork, string expected)
    {
        var settings = new ResolvConfSettings { ClusterDns = ["203.0.113.1"], ClusterDomain = "TEST", HostResolvConf = "nameserver 8.8.8.8\nsearch host.domain\n" };
        var conf = ResolvConfBuilder.For(NewPod(policy: policy, hostNetwork: hostNetwork), settings).ResolvConf!;
        if (expected == "cluster")
            Assert.Equal("search testNS.svc.TEST svc.TEST TEST host.domain\nnameserver 203.0.113.1\noptions ndots:5\n", conf.ToString());
        else
            Assert.Equal("search host.domain\nnameserver 8.8.8.8\n", conf.ToString());
    }

    [Fact]
    public void None_without_dns_config_is_empty()
    {
        var formed = ResolvConfBuilder.For(NewPod(policy: DnsPolicy.None), new ResolvConfSettings { ClusterDns = ["10.0.0.10"], ClusterDomain = "kubernetes.io", HostResolvConf = "nameserver 8.8.8.8\n" });
        Assert.Equal("", formed.ResolvConf!.ToString());
    }

    // testGetPodDNS: --resolv-conf "" gives the local machine's resolver and the root as the only search domain.
    [Fact]
    public void Without_a_host_file_default_pods_use_loopback_and_the_root_search()
    {
        var settings = new ResolvConfSettings { ClusterDns = ["203.0.113.1"], ClusterDomain = "kubernetes.io", HostResolvConf = null };
        var withHostNet = NewPod(ns: "", policy: DnsPolicy.ClusterFirstWithHostNet, hostNetwork: true);
        Assert.Equal("search .svc.kubernetes.io svc.kubernetes.io kubernetes.io\nnameserver 203.0.113.1\noptions ndots:5\n", ResolvConfBuilder.For(withHostNet, settings).ResolvConf!.ToString());
        var hostFirst = NewPod(ns: "", policy: DnsPolicy.ClusterFirst, hostNetwork: true);
        Assert.Equal("search .\nnameserver 127.0.0.1\n", ResolvConfBuilder.For(hostFirst, settings).ResolvConf!.ToString());
        var v6Node = settings with { NodeIPs = [IPAddress.Parse("2001:db8::1"), IPAddress.Parse("192.0.2.1")] };
        Assert.Equal(["::1", "127.0.0.1"], ResolvConfBuilder.For(NewPod(policy: DnsPolicy.Default), v6Node).ResolvConf!.Nameservers);
    }

    [Fact]
    public void Cluster_first_without_cluster_dns_falls_back_to_default_with_an_event()
    {
        var formed = ResolvConfBuilder.For(NewPod(), new ResolvConfSettings { ClusterDomain = "cluster.local", HostResolvConf = "nameserver 8.8.8.8\n" });
        Assert.Equal("nameserver 8.8.8.8\n", formed.ResolvConf!.ToString());
        Assert.StartsWith("MissingClusterDNS: kubelet does not have ClusterDNS IP configured", Assert.Single(formed.Events));
    }

    // TestGetPodDNSCustom
    private static readonly PodDnsConfig CustomConfig = new()
    {
        Nameservers = ["10.0.0.11"],
        Searches = ["my.domain"],
        Options = [new PodDnsOption("ndots", "3"), new PodDnsOption("debug", null)],
    };

    public static IEnumerable<object[]> CustomCases()
    {
        yield return ["DNSNone without DNSConfig should have empty DNS settings", DnsPolicy.None, false, null!, "", "", ""];
        yield return ["DNSNone with DNSConfig should have a merged DNS settings", DnsPolicy.None, false,
            new PodDnsConfig { Nameservers = ["203.0.113.1"], Searches = ["my.domain", "second.domain"], Options = [new PodDnsOption("ndots", "3"), new PodDnsOption("debug", null)] },
            "203.0.113.1", "my.domain second.domain", "ndots:3 debug"];
        yield return ["DNSClusterFirst with DNSConfig should have a merged DNS settings", DnsPolicy.ClusterFirst, false, CustomConfig,
            "10.0.0.10 10.0.0.11", "testNS.svc.kubernetes.io svc.kubernetes.io kubernetes.io host.domain my.domain", "ndots:3 debug"];
        yield return ["DNSClusterFirstWithHostNet with DNSConfig should have a merged DNS settings", DnsPolicy.ClusterFirstWithHostNet, true, CustomConfig,
            "10.0.0.10 10.0.0.11", "testNS.svc.kubernetes.io svc.kubernetes.io kubernetes.io host.domain my.domain", "ndots:3 debug"];
        yield return ["DNSDefault with DNSConfig should have a merged DNS settings", DnsPolicy.Default, false, CustomConfig,
            "8.8.8.8 10.0.0.11", "host.domain my.domain", "ndots:3 debug"];
    }

    [Theory]
    [MemberData(nameof(CustomCases))]
    public void Dns_config_is_merged_on_the_policys_base(string desc, DnsPolicy policy, bool hostNetwork, PodDnsConfig? config, string servers, string searches, string options)
    {
        var settings = new ResolvConfSettings { ClusterDns = ["10.0.0.10"], ClusterDomain = "kubernetes.io", HostResolvConf = "nameserver 8.8.8.8\nsearch host.domain\n" };
        var conf = ResolvConfBuilder.For(NewPod(policy: policy, hostNetwork: hostNetwork, config: config), settings).ResolvConf!;
        Assert.True(Split(servers).SequenceEqual(conf.Nameservers), desc);
        Assert.True(Split(searches).SequenceEqual(conf.Searches), desc);
        Assert.True(Split(options).SequenceEqual(conf.Options), desc);
    }

    [Fact]
    public void Dns_config_duplicates_of_the_base_are_dropped_keeping_the_first()
    {
        var pod = NewPod(config: new PodDnsConfig { Nameservers = ["10.0.0.10", "10.0.0.11"], Searches = ["svc.cluster.local", "extra.example"] });
        var conf = ResolvConfBuilder.For(pod, new ResolvConfSettings { ClusterDns = ["10.0.0.10"], ClusterDomain = "cluster.local", HostResolvConf = "" }).ResolvConf!;
        Assert.Equal("search testNS.svc.cluster.local svc.cluster.local cluster.local extra.example\nnameserver 10.0.0.10\nnameserver 10.0.0.11\noptions ndots:5\n", conf.ToString());
    }
}
