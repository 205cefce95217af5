using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Model.Corefile;
using FastPath.Model.Diagnostics;
using FastPath.Model.Loading;
using FastPath.Server;
using FastPath.Tests.Compiled;
using Xunit;

namespace FastPath.Tests.Server;

/// <summary>
/// The DNS listeners bind what the Corefile says, as CoreDNS: a block's port on every interface, or its bind lines;
/// one listener per block port. Real listeners are opened on loopback only.
/// </summary>
public sealed class ListenerTests : ServeHarness
{
    private static CorefileConfig Parse(string text)
    {
        var bag = new DiagnosticBag();
        var config = CorefileParser.Parse(text, "Corefile", bag, 0, _ => null, _ => null);
        Assert.DoesNotContain(bag.Sorted(), d => d.IsError);
        return config;
    }

    private static IReadOnlyList<string>? Lo(string name) => name == "lo" ? ["127.0.0.1", "::1"] : null;

    /// <summary>Ports free on loopback now (taken by the OS, then released for the test to bind).</summary>
    private static int[] FreePorts(int count)
    {
        var sockets = Enumerable.Range(0, count).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)).ToList();
        foreach (var s in sockets) s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var ports = sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port).ToArray();
        foreach (var s in sockets) s.Dispose();
        return ports;
    }

    [Fact]
    public void A_block_without_bind_listens_on_every_interface_at_its_keys_port()
    {
        var endpoints = CorefileListeners.From(Parse(CorefileConfig.Default), out var skipped, Lo);
        Assert.Empty(skipped);
        var any = Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any;
        Assert.Equal([new IPEndPoint(any, 53)], endpoints);
    }

    [Fact]
    public void Bind_restricts_each_block_and_blocks_on_other_ports_get_their_own_listeners()
    {
        var corefile = Parse("""
            cluster.local:53 {
                bind lo
                kubernetes cluster.local
            }
            .:5353 example.org:5353 {
                bind 127.0.0.1
                forward . 192.0.2.53
            }
            .:53 {
                bind lo {
                    except ::1
                }
                forward . 192.0.2.53
            }
            tls://.:853 {
                forward . 192.0.2.53
            }
            """);
        var endpoints = CorefileListeners.From(corefile, out var skipped, Lo);
        Assert.Equal(["127.0.0.1:53", "[::1]:53", "127.0.0.1:5353"], endpoints.Select(e => e.ToString()));
        Assert.Equal(["tls://.:853"], skipped.Select(k => k.ToString()));
    }

    [Fact]
    public void A_bind_argument_that_is_no_interface_of_this_host_stops_the_listeners_with_its_line()
    {
        var corefile = Parse(".:53 {\n    bind 127.0.0.1 no-such-interface0\n}\n");
        var ex = Assert.Throws<FormatException>(() => CorefileListeners.From(corefile, out _));
        Assert.Equal("Corefile(2,5): bind: not a valid IP address or interface name: \"no-such-interface0\"", ex.Message);
    }

    [Fact]
    public void The_server_answers_on_every_listener_the_corefile_names()
    {
        var ports = FreePorts(2);
        var corefile = Parse($".:{ports[0]} {{\n  bind 127.0.0.1\n  kubernetes cluster.local\n}}\n.:{ports[1]} {{\n  bind 127.0.0.1\n  kubernetes cluster.local\n}}\n");
        var cluster = TestClusters.Load("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {clusterIP: 10.96.0.20, ports: [{port: 80}]}\n", ".:53 {\n  kubernetes cluster.local\n}\n");
        var server = Start(cluster, o =>
        {
            o.Plugins = null;
            o.Endpoints.Clear();
            foreach (var at in CorefileListeners.From(corefile, out _)) o.Endpoints.Add(at);
        });
        Assert.Equal(ports.Select(p => new IPEndPoint(IPAddress.Loopback, p)), server.EndPoints);
        foreach (var at in server.EndPoints)
            foreach (var reply in new[] { Udp(at, DnsWireWriter.Query(3, "web.default.svc.cluster.local", DnsType.A)), Tcp(at, DnsWireWriter.Query(3, "web.default.svc.cluster.local", DnsType.A)) })
                Assert.Equal("10.96.0.20", DnsWireReader.ReadMessage(reply)!.Answer.Single().Data.ToText());
    }

    [Fact]
    public void Bind_by_the_loopback_interfaces_name_listens_on_its_addresses()
    {
        var lo = CorefileListeners.HostInterfaces("lo");
        Assert.NotNull(lo); // Linux names its loopback interface lo, as upstream's test assumes
        Assert.Contains("127.0.0.1", lo);
        var port = FreePorts(1)[0];
        var endpoints = CorefileListeners.From(Parse($".:{port} {{\n  bind lo\n}}\n"), out _);
        Assert.Equal(lo!.Select(a => new IPEndPoint(IPAddress.Parse(a), port)), endpoints);
    }
}
