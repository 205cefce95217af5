using System.Collections.Generic;
using System.Linq;
using FastPath.Model.Corefile;
using FastPath.Model.Corefile.Plugins;
using FastPath.Model.Diagnostics;
using Xunit;

namespace FastPath.Tests.Corefile;

/// <summary>
/// The Corefile as CoreDNS reads it: every row of the plugins' upstream setup tables gets CoreDNS's verdict, every
/// refusal names the file and line, and what FastPath parses but cannot honour is a warning, never silence.
/// </summary>
public class CorefileParityTests
{
    public static IEnumerable<object[]> UpstreamRows => UpstreamSetupTables.Rows;

    private static (CorefileConfig Config, IReadOnlyList<Diagnostic> Diagnostics) Parse(string directives)
    {
        var bag = new DiagnosticBag();
        var text = ".:53 {\n" + directives + "\n}\n";
        var config = CorefileParser.Parse(text, "Corefile", bag, 0, _ => null, path => path.EndsWith("wfile") ? "" : null);
        return (config, bag.Sorted());
    }

    [Theory]
    [MemberData(nameof(UpstreamRows))]
    public void Each_upstream_setup_table_row_gets_corednss_verdict_with_a_located_error(string source, string input, bool coreDnsRefuses)
    {
        var (_, diagnostics) = Parse(input);
        var errors = diagnostics.Where(d => d.IsError).ToList();
        Assert.True(coreDnsRefuses == errors.Count > 0,
            $"{source}: CoreDNS {(coreDnsRefuses ? "refuses" : "accepts")} this, FastPath said:\n" + string.Join("\n", diagnostics));
        foreach (var e in errors)
        {
            Assert.Equal("Corefile", e.Location!.Path);
            Assert.InRange(e.Location.Line, 2, input.Count(c => c == '\n') + 2);
        }
    }

    [Theory]
    [InlineData("reload 10s", 10, 5)]   // the default 15 s jitter clamped to half the interval
    [InlineData("reload", 30, 15)]
    [InlineData("reload 10s 2s", 10, 2)]
    [InlineData("reload 2s 0s", 2, 0)]
    [InlineData("reload 1m 1m", 60, 30)]
    public void Reload_clamps_the_jitter_to_half_the_interval_as_coredns_does(string line, int interval, int jitter)
    {
        var (config, diagnostics) = Parse(line);
        Assert.Empty(diagnostics);
        Assert.Equal(new ReloadOptions(System.TimeSpan.FromSeconds(interval), System.TimeSpan.FromSeconds(jitter)), config.ServerBlocks[0].Plugins.Reload);
    }

    [Theory]
    [InlineData("cache 30\ncache 60", 3, "cache: this plugin can only be used once per Server Block")]
    [InlineData("errors\nerrors", 3, "errors: this plugin can only be used once per Server Block")]
    [InlineData("kubernetes cluster.local\nkubernetes example.org", 3, "kubernetes: this plugin can only be used once per Server Block")]
    [InlineData("prometheus\nprometheus :9154", 3, "prometheus: this plugin can only be used once per Server Block")]
    public void A_plugin_coredns_allows_once_given_twice_is_refused_at_the_second(string directives, int line, string message)
    {
        var (_, diagnostics) = Parse(directives);
        var e = Assert.Single(diagnostics, d => d.IsError);
        Assert.Equal(("FP0053", line, message), (e.Id, e.Location!.Line, e.Message));
    }

    [Fact]
    public void Log_and_forward_may_repeat_as_in_coredns()
    {
        var (_, diagnostics) = Parse("log example.org\nlog example.net {combined}");
        Assert.Empty(diagnostics);
    }

    [Theory]
    [InlineData("rewrite stop type ANY A", "rewrite: a type rule is valid for CoreDNS but FastPath cannot honour it here")]
    [InlineData("rewrite continue class CH IN", "rewrite: a class rule")]
    [InlineData("rewrite edns0 local set 0xffee abcdefg", "rewrite: a edns0 rule")]
    [InlineData("rewrite ttl example.com 30-60", "rewrite: a ttl rule")]
    [InlineData("rewrite rcode regex (.*)\\.example\\.com SERVFAIL NXDOMAIN", "rewrite: a rcode rule")]
    [InlineData("rewrite name suffix a.com b.com answer value x.com y.com", "rewrite: an 'answer value' clause")]
    [InlineData("forward . 127.0.0.1 {\n max_age 30s\n}", "forward: 'max_age'")]
    [InlineData("forward . 127.0.0.1 {\n source_address 192.0.2.1\n}", "forward: 'source_address'")]
    [InlineData("forward . tls://9.9.9.9 {\n tls_servername dns.quad9.net\n}", "forward: the upstream 'tls://9.9.9.9'")]
    [InlineData("cache {\n serve_stale 1h verify\n}", "cache: serve_stale")]
    [InlineData("loadbalance weighted wfile", "loadbalance: the weighted policy")]
    [InlineData("prometheus {\n runtime_metrics\n}", "prometheus: runtime_metrics")]
    public void An_option_fastpath_cannot_honour_is_a_located_warning_saying_so(string directives, string start)
    {
        var (_, diagnostics) = Parse(directives);
        Assert.DoesNotContain(diagnostics, d => d.IsError);
        var w = Assert.Single(diagnostics, d => d.Message.StartsWith(start, System.StringComparison.Ordinal));
        Assert.Equal(("FP0065", DiagnosticSeverity.Warning, "Corefile"), (w.Id, w.Severity, w.Location!.Path));
        Assert.InRange(w.Location.Line, 2, 4);
    }

    [Fact]
    public void Rewrite_name_rules_keep_their_meaning()
    {
        var (config, diagnostics) = Parse("rewrite name prefix foo bar\nrewrite continue name regex (.*)\\.old\\.org {1}.new.org answer name (.*)\\.new\\.org {1}.old.org");
        Assert.Empty(diagnostics);
        var rules = config.ServerBlocks[0].Plugins.Rewrite!.Rules;
        Assert.Equal((false, RewriteMatch.Prefix, "foo.", "bar."), (rules[0].Continue, rules[0].Match, rules[0].From, rules[0].To));
        Assert.Equal((true, RewriteMatch.Regex, "{1}.new.org.", "(.*)\\.new\\.org", "{1}.old.org."), (rules[1].Continue, rules[1].Match, rules[1].To, rules[1].AnswerFrom, rules[1].AnswerTo));
    }

    [Fact]
    public void Corefile_errors_in_a_configmap_name_the_manifest_and_its_line()
    {
        var r = TestClusters.LoadResult("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: coredns, namespace: kube-system}
            data:
              Corefile: |
                .:53 {
                    kubernetes cluster.local
                    reload 1s
                }
            """);
        var e = Assert.Single(r.Diagnostics, d => d.IsError);
        Assert.Equal("test.yaml(8,12): error FP0053: reload: interval value must be greater or equal to 2s", e.ToString());
    }
}
