using System.Collections.Generic;
using System.Linq;
using FastPath.Dns;
using FastPath.Model.Loading;
using FastPath.Reference.Dns;
using FastPath.Tests.Properties;
using FastPath.Tests.Reference;
using Xunit;

namespace FastPath.Tests.Compiled;

/// <summary>The compiled engine gives exactly the reference interpreter's response for every case-table query.</summary>
public class CompiledDnsDifferentialTests
{
    private static readonly (Dictionary<string, string> Corefiles, List<DnsCase> Cases) Table = DnsCaseTable.Read();

    public static IEnumerable<object[]> Cases() => Table.Cases.Select(c => new object[] { c });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compiled_answers_as_the_reference(DnsCase c)
    {
        var cluster = DnsCaseTable.ClusterFor(c.Corefile, Table.Corefiles[c.Corefile]);
        var compiled = CompiledClusters.For(cluster).Dns;
        var query = new DnsQuery(c.Name, c.Type, c.Client, Id: 7);
        var want = CompiledClusters.Describe(new ReferenceResolver(cluster).Resolve(query));
        var got = CompiledClusters.Describe(compiled.Resolve(query));
        Assert.Equal(want, got);
    }

    [Fact]
    public void Rewrite_autopath_and_hosts_are_compiled_into_the_engine()
    {
        var cluster = DnsCaseTable.ClusterFor("plugins", Table.Corefiles["plugins"]);
        Assert.NotNull(PluginProperties.DnsDataOf(CompiledClusters.For(cluster).Dns).Plugins);
        var basic = DnsCaseTable.ClusterFor("basic", Table.Corefiles["basic"]);
        Assert.Null(PluginProperties.DnsDataOf(CompiledClusters.For(basic).Dns).Plugins);
    }

    [Fact]
    public void Demo_cluster_answers_every_name_and_type_as_the_reference_with_loadbalance_rotation()
    {
        var cluster = ClusterLoader.LoadPaths([TestClusters.DemoPath]).Cluster!;
        var compiled = FastPath.Compiler.ClusterCompiler.Compile(cluster).Dns; // a fresh engine: rotation starts at 0
        var reference = new ReferenceResolver(cluster);
        var names = new List<string> { "cluster.local.", "Cluster.LOCAL.", "svc.cluster.local.", "ns.dns.cluster.local.", "dns-version.cluster.local.", "10-244-1-5.default.pod.cluster.local.", "example.org." };
        foreach (var s in cluster.Services)
        {
            names.Add($"{s.Name}.{s.Namespace}.svc.cluster.local.");
            names.Add($"{s.Name.ToUpperInvariant()}.{s.Namespace}.svc.cluster.local");
            foreach (var p in s.Ports.Where(p => p.Name is not null)) names.Add($"_{p.Name}._{p.Protocol.ToLowerInvariant()}.{s.Name}.{s.Namespace}.svc.cluster.local.");
            foreach (var ip in s.ClusterIPs.Where(ip => ip != "None")) names.Add(ReverseName.For(System.Net.IPAddress.Parse(ip)));
        }
        foreach (var e in cluster.EndpointSlices.SelectMany(sl => sl.Endpoints.Select(e => (sl, e))))
        {
            names.Add($"{e.e.Hostname ?? e.e.Addresses[0].Replace('.', '-')}.{e.sl.ServiceName}.{e.sl.Namespace}.svc.cluster.local.");
            names.Add(ReverseName.For(System.Net.IPAddress.Parse(e.e.Addresses[0])));
        }
        var types = new[] { DnsType.A, DnsType.AAAA, DnsType.SRV, DnsType.TXT, DnsType.PTR, DnsType.CNAME, DnsType.NS, DnsType.SOA, DnsType.MX, DnsType.HINFO };
        int asked = 0;
        foreach (var name in names)
            foreach (var t in types)
                for (int round = 0; round < 2; round++) // twice: loadbalance moves addresses along
                {
                    var q = new DnsQuery(name, t, Id: 99);
                    Assert.Equal(CompiledClusters.Describe(reference.Resolve(q)), CompiledClusters.Describe(compiled.Resolve(q)));
                    asked++;
                }
        Assert.True(asked > 500, $"{asked} queries");
    }
}
