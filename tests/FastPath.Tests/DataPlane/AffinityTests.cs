using System;
using System.Linq;
using System.Net;
using FastPath.Reference.DataPlane;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FastPath.Tests.DataPlane;

/// <summary>sessionAffinity: ClientIP as IPVS persistence, with time from FakeTimeProvider.</summary>
public class AffinityTests
{
    private const string Yaml = """
        apiVersion: v1
        kind: Service
        metadata: {name: cart, namespace: shop}
        spec:
          clusterIP: 10.96.1.1
          sessionAffinity: ClientIP
          sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}
          ports: [{name: grpc, port: 50051}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: cart-1, namespace: shop, labels: {kubernetes.io/service-name: cart}}
        addressType: IPv4
        ports: [{name: grpc, port: 50051, protocol: TCP}]
        endpoints:
        - {addresses: [10.1.0.1], conditions: {ready: true}}
        - {addresses: [10.1.0.2], conditions: {ready: true}}
        - {addresses: [10.1.0.3], conditions: {ready: true}}
        """;

    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.7");

    private static (ReferenceDataPlane Plane, FakeTimeProvider Time, Func<string?> Connect) Setup(string yaml = Yaml)
    {
        var c = TestClusters.Load(yaml);
        var time = new FakeTimeProvider();
        var plane = new ReferenceDataPlane(c, time);
        var svc = c.Services.Single();
        return (plane, time, () => plane.Connect(svc, svc.Ports[0], TrafficSource.Internal("node-a"), Client).Endpoint);
    }

    [Fact]
    public void A_client_sticks_while_new_connections_keep_arriving_within_the_timeout()
    {
        var (_, time, connect) = Setup();
        var first = connect();
        for (int i = 0; i < 10; i++)
        {
            time.Advance(TimeSpan.FromSeconds(59)); // each connection re-arms the template to the full timeout
            Assert.Equal(first, connect());
        }
    }

    [Fact]
    public void A_client_moves_after_a_full_timeout_without_connections()
    {
        var (_, time, connect) = Setup();
        var first = connect();
        time.Advance(TimeSpan.FromSeconds(60));
        var after = connect();
        Assert.NotEqual(first, after); // rr moves on once the template expired
        Assert.Equal(after, connect());
    }

    [Fact]
    public void A_client_moves_when_its_endpoint_goes_away()
    {
        var (plane, _, connect) = Setup();
        Assert.Equal("10.1.0.1:50051", connect());
        // The endpoint turns not-ready: its template no longer names an eligible endpoint and is replaced.
        plane.Update(TestClusters.Load(Yaml.Replace("- {addresses: [10.1.0.1], conditions: {ready: true}}", "- {addresses: [10.1.0.1], conditions: {ready: false}}")));
        var moved = connect();
        Assert.NotEqual("10.1.0.1:50051", moved);
        Assert.Equal(moved, connect());
        // The original endpoint comes back: the client stays where it moved.
        plane.Update(TestClusters.Load(Yaml));
        Assert.Equal(moved, connect());
    }

    [Fact]
    public void Without_affinity_round_robin_spreads_one_client()
    {
        var (_, _, connect) = Setup(Yaml.Replace("sessionAffinity: ClientIP", "sessionAffinity: None").Replace("  sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}\n", ""));
        Assert.Equal(new[] { "10.1.0.1:50051", "10.1.0.2:50051", "10.1.0.3:50051", "10.1.0.1:50051" }, Enumerable.Range(0, 4).Select(_ => connect()));
    }
}
