using System.Collections.Generic;
using System.Linq;
using FastPath.Model.Corefile;
using FastPath.Model.Diagnostics;
using Xunit;

namespace FastPath.Tests.Corefile;

/// <summary>
/// The bind plugin as CoreDNS reads it: the rows of coredns/coredns@4b26cced3 plugin/bind/setup_test.go TestSetup,
/// with the host's interfaces fixed to upstream's Linux test host (<c>lo</c> holding 127.0.0.1 and ::1).
/// </summary>
public class BindPluginTests
{
    private static IReadOnlyList<string>? Interfaces(string name) => name == "lo" ? ["127.0.0.1", "::1"] : null;

    private static (IReadOnlyList<string>? Hosts, string? Error, IReadOnlyList<Diagnostic> Diagnostics) Bind(string directives)
    {
        var bag = new DiagnosticBag();
        var config = CorefileParser.Parse(".:53 {\n" + directives + "\n}\n", "Corefile", bag, 0, _ => null, _ => null);
        var diagnostics = bag.Sorted();
        if (diagnostics.Any(d => d.IsError)) return (null, null, diagnostics);
        var hosts = config.ServerBlocks[0].Plugins.Bind!.ListenHosts(Interfaces, out var error);
        return (hosts, error, diagnostics);
    }

    [Theory]
    [InlineData("bind 1.2.3.4", new[] { "1.2.3.4" })]
    [InlineData("bind 1.2.3.4 ::5", new[] { "1.2.3.4", "::5" })]
    [InlineData("bind ::1 1.2.3.4 ::5 127.9.9.0", new[] { "::1", "1.2.3.4", "::5", "127.9.9.0" })]
    [InlineData("bind 1.2.3.4 lo", new[] { "1.2.3.4", "127.0.0.1", "::1" })]
    [InlineData("bind lo {\nexcept 127.0.0.1\n}\n", new[] { "::1" })]
    public void Upstream_setup_row_listens_on_the_hosts_coredns_lists(string directives, string[] expected)
    {
        var (hosts, error, diagnostics) = Bind(directives);
        Assert.Empty(diagnostics);
        Assert.Null(error);
        Assert.Equal(expected, hosts);
    }

    [Theory]
    [InlineData("bind", "Corefile(2,1)", "at least one address or interface name is expected")]
    [InlineData("bind lo {\nexcept\n}", "Corefile(3,1)", "at least one address or interface must be given to except subdirective")]
    [InlineData("bind lo {\nonly 127.0.0.1\n}", "Corefile(3,1)", "invalid option \"only\"")]
    public void A_bind_line_coredns_refuses_to_parse_is_an_error_at_its_line(string directives, string at, string message)
    {
        var (_, _, diagnostics) = Bind(directives);
        var e = Assert.Single(diagnostics, d => d.IsError);
        Assert.Equal((at, "bind: " + message), (e.Location!.ToString(), e.Message));
    }

    [Theory]
    [InlineData("bind 1.2.3.invalid", "1.2.3.invalid")]
    [InlineData("bind ::1 1.2.3.4 ::5 127.9.9.0 noone", "noone")]
    [InlineData("bind 10.1", "10.1")] // a short form IPAddress.Parse would take but Go's net.ParseIP refuses
    public void An_argument_that_is_neither_an_address_nor_an_interface_is_refused_at_start_with_its_line(string directives, string argument)
    {
        var (hosts, error, diagnostics) = Bind(directives);
        Assert.Empty(diagnostics); // an interface could have that name: only the host can tell
        Assert.Null(hosts);
        Assert.Equal($"Corefile(2,1): bind: not a valid IP address or interface name: \"{argument}\"", error);
    }

    [Fact]
    public void Several_bind_lines_are_consolidated_and_each_except_covers_only_its_own_line()
    {
        var (hosts, error, _) = Bind("bind lo {\nexcept ::1\n}\nbind ::1");
        Assert.Null(error);
        Assert.Equal(["127.0.0.1", "::1"], hosts);
    }
}
