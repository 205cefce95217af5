using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using FastPath.Grpc;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FastPath.Integrations.Benchmarks;

/// <summary>
/// One gRPC pick (<c>SubchannelPicker.Pick</c>) over four ready subchannels, connected to real sockets on loopback:
/// grpc-dotnet's round_robin picker (baseline; the picker behind <c>dns:///</c> + round_robin, the resolver being
/// off the request path) against FastPath's round robin and power of two choices.
/// </summary>
[MemoryDiagnoser]
public class IntegrationGrpcBenchmarks
{
    private const int Ops = 1024;
    private readonly List<TcpListener> _listeners = new();
    private readonly List<GrpcChannel> _channels = new();
    private SubchannelPicker _builtIn = null!, _roundRobin = null!, _p2c = null!;
    private readonly PickContext _context = new();

    [GlobalSetup]
    public async Task Setup()
    {
        var addresses = new List<BalancerAddress>();
        for (int i = 0; i < 4; i++)
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            _listeners.Add(l);
            addresses.Add(new BalancerAddress("127.0.0.1", ((IPEndPoint)l.LocalEndpoint).Port));
        }
        _builtIn = await Capture(addresses, new RoundRobinBalancerFactory());
        _roundRobin = await Capture(addresses, new FastPathBalancerFactory(FastPathBalancerNames.RoundRobin, powerOfTwo: false));
        _p2c = await Capture(addresses, new FastPathBalancerFactory(FastPathBalancerNames.PowerOfTwoChoices, powerOfTwo: true));
    }

    /// <summary>Builds a channel whose balancer reports to us, and returns its picker once all four subchannels are ready.</summary>
    private async Task<SubchannelPicker> Capture(List<BalancerAddress> addresses, LoadBalancerFactory balancer)
    {
        var sink = new CapturingFactory(balancer);
        var services = new ServiceCollection();
        services.AddSingleton<ResolverFactory>(new StaticResolverFactory(_ => addresses));
        services.AddSingleton<LoadBalancerFactory>(sink);
        var channel = GrpcChannel.ForAddress("static:///cart", new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Insecure,
            ServiceProvider = services.BuildServiceProvider(),
            ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new LoadBalancingConfig(CapturingFactory.PolicyName) } },
        });
        _channels.Add(channel);
        await channel.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var changed = sink.Changed; // taken before the picker is read, so a change in between is not missed
            var picker = sink.Picker;
            if (picker is not null && Enumerable.Range(0, 64).Select(_ => picker.Pick(_context).Subchannel).Distinct().Count() == addresses.Count) return picker;
            if (DateTime.UtcNow > until) throw new TimeoutException("subchannels did not all become ready");
            await changed.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private PickResult Run(SubchannelPicker picker)
    {
        PickResult last = null!;
        for (int i = 0; i < Ops; i++) last = picker.Pick(_context);
        return last;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops, Description = "grpc-dotnet round_robin picker")]
    public PickResult GrpcRoundRobin() => Run(_builtIn);

    [Benchmark(OperationsPerInvoke = Ops, Description = "fastpath_round_robin picker")]
    public PickResult FastPathRoundRobin() => Run(_roundRobin);

    [Benchmark(OperationsPerInvoke = Ops, Description = "fastpath_p2c picker")]
    public PickResult FastPathPowerOfTwo() => Run(_p2c);

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var c in _channels) c.Dispose();
        foreach (var l in _listeners) l.Stop();
    }

    /// <summary>Wraps a balancer factory so that the pickers it publishes can be taken and called directly.</summary>
    private sealed class CapturingFactory(LoadBalancerFactory inner) : LoadBalancerFactory
    {
        public const string PolicyName = "capture";
        private volatile TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public volatile SubchannelPicker? Picker;
        public Task Changed => _changed.Task;
        public override string Name => PolicyName;
        public override LoadBalancer Create(LoadBalancerOptions options) =>
            inner.Create(new LoadBalancerOptions(new Helper(options.Controller, this), options.LoggerFactory, options.Configuration));

        private sealed class Helper(IChannelControlHelper inner, CapturingFactory sink) : IChannelControlHelper
        {
            public Subchannel CreateSubchannel(SubchannelOptions options) => inner.CreateSubchannel(options);
            public void RefreshResolver() => inner.RefreshResolver();
            public void UpdateState(BalancerState state)
            {
                if (state.ConnectivityState == ConnectivityState.Ready) sink.Picker = state.Picker;
                inner.UpdateState(state);
                Interlocked.Exchange(ref sink._changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }
        }
    }
}
