using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using FastPath.Grpc;
using FastPath.Integrations.Tests.Infrastructure;
using FastPath.Live;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FastPath.Integrations.Tests;

[Collection(BackendsCollection.Name)]
public sealed class GrpcTests(Backends backends)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private Backend A => backends.Http2[0];
    private Backend B => backends.Http2[1];
    private Backend C => backends.Http2[2];

    internal sealed class Client : IDisposable
    {
        private readonly ServiceProvider _services;
        public Client(IClusterSnapshotSource source, string address, string policy, System.Diagnostics.Metrics.IMeterFactory? meters = null)
        {
            var services = new ServiceCollection();
            if (meters is not null) services.AddSingleton(meters);
            services.AddFastPathGrpc(source);
            _services = services.BuildServiceProvider();
            Channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
            {
                Credentials = ChannelCredentials.Insecure,
                ServiceProvider = _services,
                ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new LoadBalancingConfig(policy) } },
            });
            Invoker = Channel.CreateCallInvoker();
        }

        public GrpcChannel Channel { get; }
        public CallInvoker Invoker { get; }

        public Task<string> Who() =>
            Invoker.AsyncUnaryCall(Identity.Who, null, new CallOptions(deadline: DateTime.UtcNow + Patience), "").ResponseAsync;

        /// <summary>Calls until every one of <paramref name="expected"/> has answered (subchannels connect one by one).</summary>
        public async Task WarmUp(params Backend[] expected)
        {
            var seen = new HashSet<string>();
            var until = DateTime.UtcNow + Patience;
            while (!expected.All(b => seen.Contains(b.Name)))
            {
                Assert.True(DateTime.UtcNow < until, $"only {string.Join(",", seen)} answered");
                seen.Add(await Who());
            }
        }

        public void Dispose() { Channel.Dispose(); _services.Dispose(); }
    }

    private static string Service(params Ep[] endpoints) => TestCluster.Service("cart", "grpc", 50051, endpoints, appProtocol: "kubernetes.io/h2c");

    [Fact]
    public async Task Round_robin_reaches_only_eligible_endpoints_and_stays_even()
    {
        var source = new TestSource(Service(Ep.Of(A), Ep.Of(B), Ep.Of(C, ready: false, serving: false)));
        using var client = new Client(source.Publisher, "fastpath:///cart.shop:grpc", FastPathBalancerNames.RoundRobin);
        await client.WarmUp(A, B);
        var hits = new Dictionary<string, int>();
        for (int i = 0; i < 20; i++)
        {
            var who = await client.Who();
            hits[who] = hits.GetValueOrDefault(who) + 1;
        }
        Assert.Equal([A.Name, B.Name], hits.Keys.Order(StringComparer.Ordinal));
        Assert.InRange(hits[A.Name] - hits[B.Name], -1, 1);
    }

    [Fact]
    public async Task Port_number_form_resolves_like_the_port_name()
    {
        var source = new TestSource(Service(Ep.Of(A)));
        using var client = new Client(source.Publisher, "fastpath:///cart.shop.svc.cluster.local:50051", FastPathBalancerNames.RoundRobin);
        Assert.Equal(A.Name, await client.Who());
    }

    [Fact]
    public async Task Power_of_two_choices_avoids_the_backend_with_a_call_in_flight()
    {
        var source = new TestSource(Service(Ep.Of(A), Ep.Of(B)));
        using var client = new Client(source.Publisher, "fastpath:///cart.shop:grpc", FastPathBalancerNames.PowerOfTwoChoices);
        await client.WarmUp(A, B);
        A.Close();
        var stuck = new List<Task<string>>();
        try
        {
            for (int i = 0; i < 20; i++)
            {
                var arrival = A.NextArrival();
                var call = client.Who();
                // Either the call is answered (it went to B) or it is waiting at A's closed gate.
                await Task.WhenAny(call, arrival).WaitAsync(Patience);
                if (!call.IsCompleted) stuck.Add(call);
                else Assert.Equal(B.Name, await call);
            }
            // With one call in flight on A and none on B, both choices always prefer B: at most the first call was A's.
            Assert.InRange(stuck.Count, 0, 1);
        }
        finally { A.Open(); }
        foreach (var call in stuck) Assert.Equal(A.Name, await call.WaitAsync(Patience));
    }

    [Fact]
    public async Task Snapshot_changes_are_pushed_to_the_channel_without_a_failed_call()
    {
        var source = new TestSource(Service(Ep.Of(A), Ep.Of(B)));
        using var client = new Client(source.Publisher, "fastpath:///cart.shop:grpc", FastPathBalancerNames.RoundRobin);
        await client.WarmUp(A, B);
        async Task<string[]> Round()
        {
            var seen = new HashSet<string>();
            for (int i = 0; i < 4; i++) seen.Add(await client.Who()); // a failed call throws and fails the test
            return seen.Order(StringComparer.Ordinal).ToArray();
        }

        source.Publish(Service(Ep.Of(A, ready: false), Ep.Of(B)));
        Assert.Equal([B.Name], await Round());
        source.Publish(Service(Ep.Of(A, ready: false, serving: true, terminating: true), Ep.Of(B)));
        Assert.Equal([B.Name], await Round());
        source.Publish(Service(Ep.Of(B)));
        Assert.Equal([B.Name], await Round());
        source.Publish(Service(Ep.Of(B), Ep.Of(C)));
        await client.WarmUp(B, C); // C's subchannel connects; B answers meanwhile
        Assert.Equal([B.Name, C.Name], await Round());
    }

    [Theory]
    [InlineData("fastpath:///basket.shop:grpc", "Service shop/basket does not exist")]
    [InlineData("fastpath:///cart.shop:metrics", "Service shop/cart has no port named metrics; its ports are grpc (50051)")]
    [InlineData("fastpath:///cart.shop:8080", "Service shop/cart has no port 8080; its ports are grpc (50051)")]
    [InlineData("fastpath:///empty.shop:grpc", "Service shop/empty port grpc (50051): the service has no usable endpoints (reject)")]
    [InlineData("fastpath:///not-a-service:grpc", "'not-a-service:grpc' is not a Service name: use fastpath:///name.namespace:port")]
    public async Task Bad_names_fail_calls_with_Unavailable_and_the_reason(string address, string reason)
    {
        var source = new TestSource(Service(Ep.Of(A)), TestCluster.Service("empty", "grpc", 50051, [Ep.Of(B, ready: false, serving: false)]));
        using var client = new Client(source.Publisher, address, FastPathBalancerNames.RoundRobin);
        var error = await Assert.ThrowsAsync<RpcException>(client.Who);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(reason, error.Status.Detail);
    }

    [Fact]
    public async Task A_Service_left_without_eligible_endpoints_fails_calls_instead_of_keeping_stale_pods()
    {
        var source = new TestSource(Service(Ep.Of(A)));
        using var client = new Client(source.Publisher, "fastpath:///cart.shop:grpc", FastPathBalancerNames.PowerOfTwoChoices);
        Assert.Equal(A.Name, await client.Who());
        source.Publish(Service(Ep.Of(A, ready: false, serving: false)));
        var error = await Assert.ThrowsAsync<RpcException>(client.Who);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal("Service shop/cart port grpc (50051): the service has no usable endpoints (reject)", error.Status.Detail);
        source.Publish(Service(Ep.Of(B)));
        await client.WarmUp(B);
    }
}
