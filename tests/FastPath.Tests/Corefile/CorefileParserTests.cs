using System.Collections.Generic;
using System.Linq;
using FastPath.Model.Corefile;
using FastPath.Model.Corefile.Plugins;
using FastPath.Model.Diagnostics;
using Xunit;

namespace FastPath.Tests.Corefile;

public class CorefileParserTests
{
    private static (CorefileConfig Config, IReadOnlyList<Diagnostic> Diagnostics) Parse(string text, Dictionary<string, string>? env = null, Dictionary<string, string>? files = null)
    {
        var bag = new DiagnosticBag();
        var cfg = CorefileParser.Parse(text, "/etc/coredns/Corefile", bag, 0,
            name => env is not null && env.TryGetValue(name, out var v) ? v : null,
            path => files is not null && files.TryGetValue(path, out var f) ? f : null);
        return (cfg, bag.Sorted());
    }

    [Fact]
    public void Default_corefile_reads_every_plugin()
    {
        var (cfg, diags) = Parse(CorefileConfig.Default);
        Assert.Empty(diags);
        var block = Assert.Single(cfg.ServerBlocks);
        Assert.Equal(new ServerKey("dns", ".", 53), Assert.Single(block.Keys));
        var k = block.Plugins.Kubernetes!;
        Assert.Equal(new[] { "cluster.local.", "in-addr.arpa.", "ip6.arpa." }, k.Zones);
        Assert.Equal(PodMode.Insecure, k.Pods);
        Assert.Equal(30, k.Ttl);
        Assert.Equal(new[] { "in-addr.arpa.", "ip6.arpa." }, k.Fallthrough);
        Assert.Equal(new[] { "/etc/resolv.conf" }, block.Plugins.Forward!.To);
        Assert.Equal(1000, block.Plugins.Forward.MaxConcurrent);
        Assert.Equal(30, block.Plugins.Cache!.SuccessTtl);
        Assert.Equal(":9153", block.Plugins.Prometheus!.Address);
        Assert.Equal(System.TimeSpan.FromSeconds(5), block.Plugins.Health!.Lameduck);
        Assert.True(block.Plugins.Loop);
        Assert.NotNull(block.Plugins.LoadBalance);
        Assert.NotNull(block.Plugins.Reload);
    }

    [Fact]
    public void Several_blocks_zones_ports_and_longest_zone_routing()
    {
        var (cfg, diags) = Parse("""
            cluster.local:53 in-addr.arpa {
                kubernetes
            }
            .:53 {
                forward . 8.8.8.8 1.1.1.1:5353 { policy sequential }
            }
            example.org:1053 10.0.0.0/8:1053 {
                hosts {
                    10.0.0.1 db.example.org
                }
            }
            """);
        // CoreDNS would also read /etc/hosts for the hosts block; FastPath says it does not.
        Assert.Equal("FP0065", Assert.Single(diags).Id);
        Assert.Equal(3, cfg.ServerBlocks.Count);
        Assert.Equal(new[] { "cluster.local.", "in-addr.arpa." }, cfg.ServerBlocks[0].Plugins.Kubernetes!.Zones);
        Assert.Equal("sequential", cfg.ServerBlocks[1].Plugins.Forward!.Policy);
        Assert.Equal(new ServerKey("dns", "10.in-addr.arpa.", 1053), cfg.ServerBlocks[2].Keys[1]);
        Assert.Same(cfg.ServerBlocks[0], cfg.BlockFor("a.b.svc.cluster.local.", 53));
        Assert.Same(cfg.ServerBlocks[1], cfg.BlockFor("example.com.", 53));
        Assert.Null(cfg.BlockFor("example.com.", 1053));
        var entry = Assert.Single(cfg.ServerBlocks[2].Plugins.Hosts!.Entries);
        Assert.Equal(("10.0.0.1", "db.example.org."), (entry.Address, Assert.Single(entry.Names)));
    }

    [Fact]
    public void Comments_quotes_environment_snippets_and_imports()
    {
        var (cfg, diags) = Parse("""
            # a comment line
            (common) {
                errors
                cache 10
            }
            {$ZONE}:53 {  # trailing comment
                import common
                import extra/a.conf
                rewrite name "old.example.org" "new.example.org"
                kubernetes {$ZONE} {
                    ttl {$TTL}
                }
            }
            """,
            env: new() { ["ZONE"] = "cluster.local", ["TTL"] = "7" },
            files: new() { ["/etc/coredns/extra/a.conf"] = "log\n" });
        Assert.DoesNotContain(diags, d => d.IsError);
        var b = Assert.Single(cfg.ServerBlocks);
        Assert.Equal("cluster.local.", b.Keys[0].Zone);
        Assert.Equal(new[] { "errors", "cache", "rewrite", "kubernetes" }, b.Directives.Select(d => d.Name).Where(n => n != "log").ToArray());
        Assert.Equal(7, b.Plugins.Kubernetes!.Ttl);
        Assert.Equal(10, b.Plugins.Cache!.SuccessTtl);
        var rule = Assert.Single(b.Plugins.Rewrite!.Rules);
        Assert.Equal(("old.example.org.", "new.example.org."), (rule.From, rule.To));
    }

    [Theory]
    [InlineData(".:53 {\n  kubernetes cluster.local\n", "FP0051", 1, 6)]
    [InlineData(".:53 {\n  kubernetes cluster.local {\n    ttl 3601\n  }\n}\n", "FP0053", 3, 9)]
    [InlineData(".:53 {\n  kubernetes cluster.local {\n    pods sometimes\n  }\n}\n", "FP0053", 3, 5)]
    [InlineData(".:53 {\n  kubernetes cluster.local {\n    bogus_option\n  }\n}\n", "FP0053", 3, 5)]
    [InlineData(".:99999 {\n  whoami\n}\n", "FP0051", 1, 1)]
    [InlineData(".:53 {\n  import missing\n}\n", "FP0051", 2, 10)]
    [InlineData(".:53 {\n  forward .\n}\n", "FP0053", 2, 3)]
    [InlineData(".:53 {\n  rewrite name regex ( x\n}\n", "FP0053", 2, 3)]
    [InlineData("}\n", "FP0051", 1, 1)]
    [InlineData(".:53 {\n  log \"unterminated\n}\n", "FP0051", 2, 7)]
    public void Errors_have_ids_lines_and_columns(string text, string id, int line, int column)
    {
        var (_, diags) = Parse(text);
        Assert.Contains(diags, d => d.IsError && (d.Id, d.Location!.Line, d.Location.Column) == (id, line, column));
    }

    [Fact]
    public void Unknown_plugin_and_unset_variable_are_warnings()
    {
        var (cfg, diags) = Parse(".:53 {\n  frobnicate\n  kubernetes {$NOPE}cluster.local\n}\n");
        Assert.Equal(new[] { "FP0052", "FP0054" }, diags.Select(d => d.Id));
        Assert.All(diags, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.Equal("cluster.local.", cfg.ServerBlocks[0].Plugins.Kubernetes!.Zones[0]);
    }

    [Fact]
    public void Corefile_in_the_coredns_configmap_reports_lines_of_the_manifest()
    {
        var r = TestClusters.LoadResult("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: coredns, namespace: kube-system}
            data:
              Corefile: |
                .:53 {
                    kubernetes cluster.local {
                        ttl -1
                    }
                }
            """);
        var d = Assert.Single(r.Diagnostics);
        Assert.Equal(("FP0053", "test.yaml", 8), (d.Id, d.Location!.Path, d.Location.Line));
    }
}
