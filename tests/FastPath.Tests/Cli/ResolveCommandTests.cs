using System.Linq;
using FastPath.Dns;
using FastPath.Reference.Dns;
using Xunit;
using static FastPath.Tests.Cli.CheckCommandTests;

namespace FastPath.Tests.Cli;

public class ResolveCommandTests
{
    [Fact]
    public void Resolve_prints_the_answer_in_digs_layout()
    {
        var (exit, output, _) = Run("resolve", "my-service.default.svc.cluster.local", "--manifests", TestClusters.DemoPath);
        Assert.Equal(0, exit);
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains(";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 0", lines);
        Assert.Contains(";; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 0", lines);
        Assert.Equal(";my-service.default.svc.cluster.local.\t\tIN\tA", lines[lines.IndexOf(";; QUESTION SECTION:") + 1]);
        Assert.Equal("my-service.default.svc.cluster.local.\t30\tIN\tA\t10.100.200.1", lines[lines.IndexOf(";; ANSWER SECTION:") + 1]);
    }

    [Theory]
    [InlineData("_http._tcp.my-service.default.svc.cluster.local", "SRV")]
    [InlineData("nope.default.svc.cluster.local", "AAAA")]
    [InlineData("example.org", "A")]
    public void Every_engine_prints_the_same_answer(string name, string type)
    {
        string Body(string engine)
        {
            var (exit, output, _) = Run("resolve", name, type, "--engine", engine, "--manifests", TestClusters.DemoPath);
            Assert.Equal(0, exit);
            return output[output.IndexOf('\n')..]; // the banner names the engine; the rest must not differ
        }
        var snapshot = Body("snapshot");
        Assert.Equal(Body("reference"), snapshot);
        Assert.Equal(Body("compiled"), snapshot);
    }

    [Fact]
    public void Resolve_exits_0_on_nxdomain_and_prints_the_soa()
    {
        var (exit, output, _) = Run("resolve", "nope.default.svc.cluster.local", "AAAA", "--manifests", TestClusters.DemoPath);
        Assert.Equal(0, exit);
        Assert.Contains("status: NXDOMAIN", output);
        Assert.Matches(@"cluster\.local\.\t30\tIN\tSOA\tns\.dns\.cluster\.local\. hostmaster\.cluster\.local\. \d+ 7200 1800 86400 30", output);
    }

    [Fact]
    public void Names_outside_the_cluster_say_where_they_are_forwarded()
    {
        var (exit, output, _) = Run("resolve", "example.org", "--manifests", TestClusters.DemoPath);
        Assert.Equal(0, exit);
        Assert.Contains(";; FORWARD: the forward plugin sends this query to /etc/resolv.conf", output);
    }

    [Theory]
    [InlineData("resolve")]
    [InlineData("resolve", "a.b", "BOGUS")]
    [InlineData("resolve", "a.b", "--client", "not-an-ip")]
    [InlineData("resolve", "a.b", "--engine", "compiled-someday")]
    public void Usage_errors_exit_1(params string[] args)
    {
        var (exit, _, err) = Run(args);
        Assert.Equal(1, exit);
        Assert.StartsWith("fastpath resolve:", err);
    }

    [Fact]
    public void Load_errors_exit_1_with_the_diagnostic()
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("fastpath-resolve-").FullName;
        System.IO.File.WriteAllText(System.IO.Path.Combine(dir, "a.yaml"), "apiVersion: v1\nkind: Service\nmetadata: {name: Bad}\n");
        var (exit, _, err) = Run("resolve", "a.b", "--manifests", dir);
        Assert.Equal(1, exit);
        Assert.Contains("error FP0006", err);
    }

    [Fact]
    public void Loadbalance_rotates_addresses_from_one_query_to_the_next()
    {
        var cluster = TestClusters.Load(System.IO.File.ReadAllText(System.IO.Path.Combine(TestClusters.DemoPath, "my-db.yaml")) + "\n---\n" +
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: default}\n",
            corefile: ".:53 {\n  kubernetes cluster.local\n  loadbalance\n}\n");
        var resolver = new ReferenceResolver(cluster);
        string First() => ((AddressData)resolver.Resolve(new DnsQuery("my-db.default.svc.cluster.local", DnsType.A)).Response.Answer[0].Data).Address.ToString();
        Assert.Equal(new[] { "10.244.1.5", "10.244.2.7", "10.244.1.5" }, new[] { First(), First(), First() });
    }
}
