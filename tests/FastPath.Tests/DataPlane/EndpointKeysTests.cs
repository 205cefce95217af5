using System;
using System.Linq;
using FastPath.Model.Planning;
using Xunit;

namespace FastPath.Tests.DataPlane;

/// <summary>A port's "ip:port" keys kept as their parts: the texts the data plane names endpoints by, made once.</summary>
public sealed class EndpointKeysTests
{
    [Fact]
    public void Texts_are_ip_colon_port_with_ipv6_in_brackets_in_order()
    {
        var keys = new EndpointKeys(["10.0.0.1", "fd00::7", "10.0.0.10"], ["8080", "80", "9090"]);
        Assert.Equal(3, keys.Count);
        Assert.Equal(["10.0.0.1:8080", "[fd00::7]:80", "10.0.0.10:9090"], keys.ToArray());
        Assert.Equal("fd00::7", keys.Ip(1));
    }

    [Fact]
    public void A_text_is_made_once_and_then_read_without_allocating()
    {
        var keys = new EndpointKeys(["10.0.0.1", "10.0.0.2"], ["80", "80"]);
        var first = keys[1];
        Assert.Equal(0, Allocations.OfSecondRun(() => { for (int i = 0; i < 1000; i++) Assert.Same(first, keys[1]); }));
    }

    [Fact]
    public void Compare_orders_as_an_ordinal_compare_of_the_texts()
    {
        // Prefixes of each other ("10.0.0.1" / "10.0.0.10"), ports of different lengths, IPv6 against IPv4 and itself.
        string[] ips = ["10.0.0.1", "10.0.0.10", "10.0.0.2", "1.2.3.4", "fd00::7", "fd00::70", "::1", "fd00::"];
        string[] ports = ["80", "8080", "9", "443", "65535"];
        foreach (var ipA in ips)
        foreach (var portA in ports)
        foreach (var ipB in ips)
        foreach (var portB in ports)
        {
            int expected = Math.Sign(string.CompareOrdinal(EndpointKeys.Of(ipA, portA), EndpointKeys.Of(ipB, portB)));
            Assert.True(expected == Math.Sign(EndpointKeys.Compare(ipA, portA, ipB, portB)), $"{ipA} {portA} vs {ipB} {portB}");
        }
    }

    [Fact]
    public void Addresses_and_ports_must_pair_up() =>
        Assert.Throws<ArgumentException>(() => new EndpointKeys(["10.0.0.1"], []));
}
