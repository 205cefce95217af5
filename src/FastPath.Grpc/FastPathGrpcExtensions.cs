using System;
using System.Diagnostics.Metrics;
using FastPath.Diagnostics;
using FastPath.Grpc;
using FastPath.Live;
using Grpc.Net.Client.Balancer;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <c>fastpath:///</c> resolver and the FastPath balancers for gRPC channels built with this container.</summary>
public static class FastPathGrpcExtensions
{
    /// <summary>Uses the <see cref="IClusterSnapshotSource"/> in the container. Pass the provider as <c>GrpcChannelOptions.ServiceProvider</c>.</summary>
    public static IServiceCollection AddFastPathGrpc(this IServiceCollection services, Action<FastPathGrpcOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<FastPathGrpcOptions>();
        if (configure is not null) options.Configure(configure);
        services.TryAddSingleton(sp => new FastPathMetrics(sp.GetService<IMeterFactory>(), sp.GetService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ResolverFactory, FastPathResolverFactory>());
        services.AddSingleton<LoadBalancerFactory>(sp => new FastPathBalancerFactory(FastPathBalancerNames.RoundRobin, powerOfTwo: false, sp.GetRequiredService<FastPathMetrics>()));
        services.AddSingleton<LoadBalancerFactory>(sp => new FastPathBalancerFactory(FastPathBalancerNames.PowerOfTwoChoices, powerOfTwo: true, sp.GetRequiredService<FastPathMetrics>()));
        return services;
    }

    /// <summary>Uses <paramref name="source"/> (a live cluster, or <c>new SnapshotPublisher(snapshot)</c>).</summary>
    public static IServiceCollection AddFastPathGrpc(this IServiceCollection services, IClusterSnapshotSource source, Action<FastPathGrpcOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(source);
        services.TryAddSingleton(source);
        return services.AddFastPathGrpc(configure);
    }
}
