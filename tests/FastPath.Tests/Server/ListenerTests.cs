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

    [Fact]
    public void The_server_answers_on_every_listener_the_corefile_names()
    {
        var ports = LoopbackPorts.Free(2);
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
        var port = LoopbackPorts.Free(1)[0];
        var endpoints = CorefileListeners.From(Parse($".:{port} {{\n  bind lo\n}}\n"), out _);
        Assert.Equal(lo!.Select(a => new IPEndPoint(IPAddress.Parse(a), port)), endpoints);
    }
}
