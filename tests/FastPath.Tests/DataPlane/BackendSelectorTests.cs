using System;
using System.Net;
using FastPath.Runtime;
using FastPath.Runtime.Affinity;
using FastPath.Runtime.Scheduling;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FastPath.Tests.DataPlane;

/// <summary>
/// A selector's templates: written on a miss with the whole key's hash, found on later connections with the hash
/// from the service's precomputed share, by every selector of the same virtual service and by no other.
/// </summary>
public class BackendSelectorTests
{
    private static readonly string[] Endpoints = ["10.1.0.1:80", "10.1.0.2:80", "10.1.0.3:80", "10.1.0.4:80"];
    private static readonly UInt128 Vip = IpKey.FromIPv4(0x0A600001);

    private static BackendSelector Selector(PersistenceTable table, UInt128 vip, ushort port = 80) =>
        new(Endpoints, new RoundRobinScheduler([1, 1, 1, 1]), new AffinitySettings(table, vip, port, 6, 60));

    [Fact]
    public void A_template_is_found_by_every_selector_of_the_service_and_by_none_of_another()
    {
        var table = new PersistenceTable(1 << 10, new FakeTimeProvider());
        var client = IpKey.FromIPv4(0xC0000207);
        var first = Selector(table, Vip);
        // Another node's selector of the same Service: its round robin stands elsewhere, the template decides.
        var sameService = Selector(table, Vip);
        sameService.Select(IpKey.FromIPv4(0xC0000208));
        var otherAddress = Selector(table, IpKey.FromIPv4(0x0A600002));
        var otherPort = Selector(table, Vip, port: 443);
        otherAddress.Select(IpKey.FromIPv4(0xC0000208));
        otherPort.Select(IpKey.FromIPv4(0xC0000208));

        Assert.Equal(new Selection(0, false), first.Select(client));
        Assert.Equal(new Selection(0, true), first.Select(client));
        Assert.Equal(new Selection(0, true), sameService.Select(client));
        Assert.Equal(new Selection(1, false), otherAddress.Select(client));
        Assert.Equal(new Selection(1, false), otherPort.Select(client));
        Assert.Equal(new Selection(1, true), otherPort.Select(client));
    }

    [Fact]
    public void An_IPv6_client_sticks_as_an_IPv4_one_does()
    {
        var table = new PersistenceTable(1 << 10, new FakeTimeProvider());
        var client = IpKey.From(IPAddress.Parse("2001:db8::7"));
        var vip = IpKey.From(IPAddress.Parse("fd00::10"));
        var selector = Selector(table, vip);
        var chosen = selector.Select(client);
        Assert.False(chosen.Sticky);
        Assert.Equal(chosen with { Sticky = true }, selector.Select(client));
        Assert.Equal(BackendSelector.EndpointId(Endpoints[chosen.Index]), table.Lookup(new PersistenceKey(vip, 80, 6, client), 60));
    }
}
