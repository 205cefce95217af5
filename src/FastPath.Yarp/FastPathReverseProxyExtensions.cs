using System;
using System.Diagnostics.Metrics;
using FastPath.Diagnostics;
using FastPath.Live;
using Microsoft.AspNetCore.Hosting;
using FastPath.Yarp;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs FastPath into YARP.</summary>
public static class FastPathReverseProxyExtensions
{
    /// <summary>
    /// Clusters and routes from the <see cref="IClusterSnapshotSource"/> in the container, updated on every snapshot;
    /// also registers the FastPath policies (<see cref="AddFastPathPolicies"/>).
    /// </summary>
    public static IReverseProxyBuilder LoadFromFastPath(this IReverseProxyBuilder builder, Action<FastPathYarpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<FastPathYarpOptions>();
        if (configure is not null) options.Configure(configure);
        builder.Services.AddSingleton<IProxyConfigProvider, FastPathProxyConfigProvider>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, FastPathProxyMetrics>());
        return builder.AddFastPathPolicies();
    }

    /// <summary>Clusters and routes from <paramref name="source"/> (a live cluster, or <c>new SnapshotPublisher(snapshot)</c>).</summary>
    public static IReverseProxyBuilder LoadFromFastPath(this IReverseProxyBuilder builder, IClusterSnapshotSource source, Action<FastPathYarpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(source);
        builder.Services.TryAddSingleton(source);
        return builder.LoadFromFastPath(configure);
    }

    /// <summary>
    /// The <c>"FastPath.ClientIP"</c> and <c>"FastPath.KubeProxy"</c> load-balancing policies and the
    /// <c>"FastPath.EndpointConditions"</c> availability policy; usable on clusters from any configuration source
    /// (FastPath.KubeProxy needs a FastPath cluster).
    /// </summary>
    public static IReverseProxyBuilder AddFastPathPolicies(this IReverseProxyBuilder builder, Action<FastPathClientIpOptions>? configureClientIp = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<FastPathClientIpOptions>();
        if (configureClientIp is not null) options.Configure(configureClientIp);
        builder.Services.AddOptions<FastPathYarpOptions>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(sp => new FastPathMetrics(sp.GetService<IMeterFactory>(), sp.GetService<TimeProvider>()));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoadBalancingPolicy, ClientIpLoadBalancingPolicy>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoadBalancingPolicy, KubeProxyLoadBalancingPolicy>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAvailableDestinationsPolicy, EndpointConditionsPolicy>());
        return builder;
    }
}
