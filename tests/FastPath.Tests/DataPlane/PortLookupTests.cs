using System.Collections.Generic;
using FastPath.Compiled;
using FastPath.Model.Planning;
using Xunit;

namespace FastPath.Tests.DataPlane;

/// <summary><see cref="CompiledDataPlane.Find"/>: a Service's port by name or number, as integrations bind to it.</summary>
public sealed class PortLookupTests
{
    private static PortPlan Port(string service, string? name, int port, string protocol) =>
        new("ns", service, name, port, protocol, 0, "10.96.0.10", null, ["10.1.0.1:" + port], [1], "rr", 0,
            [new PortDecision(null, false, DataPlanePlanner.Forward, [0], "cluster endpoints")], "test");

    [Fact]
    public void A_port_is_found_by_name_or_number_and_of_two_sharing_a_number_the_first_declared_is_found()
    {
        var plane = CompiledDataPlane.FromPlan([Port("dns", "dns-tcp", 53, "TCP"), Port("dns", "dns", 53, "UDP"), Port("dns", null, 9153, "TCP"), Port("web", "http", 80, "TCP")]);
        Assert.Equal(("dns-tcp", "TCP"), Describe(plane.Find("ns", "dns", "dns-tcp")));
        Assert.Equal(("dns", "UDP"), Describe(plane.Find("ns", "dns", "dns")));
        Assert.Equal(("dns-tcp", "TCP"), Describe(plane.Find("ns", "dns", "53")));
        Assert.Equal((null, "TCP"), Describe(plane.Find("ns", "dns", "9153")));
        Assert.Equal(("http", "TCP"), Describe(plane.Find("ns", "web", "80")));
        Assert.Null(plane.Find("ns", "dns", "http"));
        Assert.Null(plane.Find("ns", "web", "53"));
        Assert.Null(plane.Find("other", "web", "80"));
    }

    [Fact]
    public void Of_a_Service_changed_since_the_index_was_built_the_same_port_is_found()
    {
        var plane = CompiledDataPlane.FromPlan([Port("web", "http", 80, "TCP")]).WithServices(new Dictionary<string, IReadOnlyList<PortPlan>>
        {
            ["ns/dns"] = [Port("dns", "dns-tcp", 53, "TCP"), Port("dns", "dns", 53, "UDP")],
            ["ns/web"] = [],
        });
        Assert.Equal(("dns-tcp", "TCP"), Describe(plane.Find("ns", "dns", "53")));
        Assert.Equal(("dns", "UDP"), Describe(plane.Find("ns", "dns", "dns")));
        Assert.Null(plane.Find("ns", "web", "80"));
    }

    private static (string? Name, string Protocol)? Describe(ServicePortHandle? h) => h is null ? null : (h.PortName, h.Protocol);
}
