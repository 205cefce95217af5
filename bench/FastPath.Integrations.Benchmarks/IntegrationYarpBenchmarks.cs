using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using BenchmarkDotNet.Attributes;
using FastPath.Live;
using FastPath.Yarp;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace FastPath.Integrations.Benchmarks;

/// <summary>
/// One YARP pick (<c>ILoadBalancingPolicy.PickDestination</c>) over four available destinations, for 1,024 different
/// client addresses in turn: YARP's built-in RoundRobin (baseline) and PowerOfTwoChoices, FastPath.ClientIP with its
/// templates in place (the steady state: every client has one), and FastPath.KubeProxy on a ClientIP Service.
/// </summary>
[MemoryDiagnoser]
public class IntegrationYarpBenchmarks
{
    private const int Ops = 1024;
    private ILoadBalancingPolicy _roundRobin = null!, _p2c = null!, _clientIp = null!, _kubeProxy = null!;
    private ClusterState _cluster = null!;
    private IReadOnlyList<DestinationState> _available = null!;
    private HttpContext[] _contexts = null!;

    [GlobalSetup]
    public void Setup()
    {
        var source = new SnapshotPublisher(IntegrationCluster.Build(clientIp: true));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddReverseProxy().LoadFromFastPath(source, o => o.Services.Add("cart.shop"));
        var sp = services.BuildServiceProvider();
        var policies = sp.GetServices<ILoadBalancingPolicy>().ToDictionary(p => p.Name);
        _roundRobin = policies[LoadBalancingPolicies.RoundRobin];
        _p2c = policies[LoadBalancingPolicies.PowerOfTwoChoices];
        _clientIp = policies[FastPathPolicyNames.ClientIP];
        _kubeProxy = policies[FastPathPolicyNames.KubeProxy];

        // The cluster exactly as FastPath's config provider makes it.
        var config = ProxyConfigBuilder.Build(source.Current!, new FastPathYarpOptions { Services = { "cart.shop" } }).Clusters.Single();
        _cluster = new ClusterState(config.ClusterId, new ClusterModel(config, new HttpMessageInvoker(new SocketsHttpHandler())));
        _available = config.Destinations!.Select(d => new DestinationState(d.Key, new DestinationModel(d.Value))).ToList();
        _contexts = Enumerable.Range(0, Ops).Select(i =>
        {
            var c = new DefaultHttpContext();
            c.Connection.RemoteIpAddress = new IPAddress(new byte[] { 192, 168, (byte)(i >> 8), (byte)i });
            return (HttpContext)c;
        }).ToArray();
        foreach (var c in _contexts) { _clientIp.PickDestination(c, _cluster, _available); _kubeProxy.PickDestination(c, _cluster, _available); }
    }

    private DestinationState? Run(ILoadBalancingPolicy policy)
    {
        DestinationState? last = null;
        foreach (var c in _contexts) last = policy.PickDestination(c, _cluster, _available);
        return last;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops, Description = "YARP RoundRobin")]
    public DestinationState? YarpRoundRobin() => Run(_roundRobin);

    [Benchmark(OperationsPerInvoke = Ops, Description = "YARP PowerOfTwoChoices")]
    public DestinationState? YarpPowerOfTwoChoices() => Run(_p2c);

    [Benchmark(OperationsPerInvoke = Ops, Description = "FastPath.ClientIP (template hit)")]
    public DestinationState? FastPathClientIp() => Run(_clientIp);

    [Benchmark(OperationsPerInvoke = Ops, Description = "FastPath.KubeProxy (ClientIP Service)")]
    public DestinationState? FastPathKubeProxy() => Run(_kubeProxy);
}
