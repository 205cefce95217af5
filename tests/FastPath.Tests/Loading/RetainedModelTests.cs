using System;
using FastPath.Model;
using FastPath.Model.Loading;
using Xunit;

namespace FastPath.Tests.Loading;

/// <summary>
/// What the model of a live cluster keeps per endpoint: objects read one at a time (as a watch delivers them) share
/// their repeated strings, and an endpoint's addresses are an array of exactly their number.
/// </summary>
public sealed class RetainedModelTests
{
    private static string Slice(string name, string ip) => $$"""
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: { name: {{name}}, namespace: retained-ns, labels: { kubernetes.io/service-name: {{name}} } }
        addressType: IPv4
        ports: [ { name: http, port: 8080, protocol: TCP } ]
        endpoints:
        - { addresses: [ {{ip}} ], conditions: { ready: true }, nodeName: retained-node, zone: retained-zone }
        """;

    private static Endpoint Read(string name, string ip) =>
        Assert.Single(Assert.Single(EndpointsObjectReader.Read(new ManifestText(name, Slice(name, ip)), "EndpointSlice", new ManifestLimits())!).Endpoints);

    [Fact]
    public void Slices_read_one_at_a_time_share_their_node_and_zone_strings()
    {
        // The table is lossy and shared by every reader: another test's scalar may take the slot between two reads,
        // so a few tries; without sharing across readers every try fails.
        bool shared = false;
        for (int attempt = 0; attempt < 5 && !shared; attempt++)
        {
            var a = Read("a", "10.1.0.1");
            var b = Read("b", "10.1.0.2");
            Assert.Equal("retained-node", b.NodeName);
            shared = ReferenceEquals(a.NodeName, b.NodeName) && ReferenceEquals(a.Zone, b.Zone);
        }
        Assert.True(shared);
    }

    [Fact]
    public void An_endpoints_addresses_are_an_exact_size_array()
    {
        var e = Read("c", "10.1.0.3");
        var addresses = Assert.IsType<string[]>(e.Addresses);
        Assert.Equal(["10.1.0.3"], addresses);
    }
}
