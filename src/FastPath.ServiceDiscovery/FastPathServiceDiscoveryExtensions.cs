using System;
using System.Linq;
using System.Diagnostics.Metrics;
using FastPath.Diagnostics;
using FastPath.Live;
using FastPath.ServiceDiscovery;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers FastPath as a Microsoft.Extensions.ServiceDiscovery endpoint provider.</summary>
public static class FastPathServiceDiscoveryExtensions
{
    private const string PassThroughFactory = "Microsoft.Extensions.ServiceDiscovery.PassThrough.PassThroughServiceEndpointProviderFactory";

    /// <summary>
    /// Resolves cluster names from the <see cref="IClusterSnapshotSource"/> registered in the container. Call it after
    /// <c>AddServiceDiscovery()</c>: it moves MESD's pass-through provider behind FastPath's, so a cluster name with no
    /// endpoints is never handed to DNS unless <see cref="FastPathServiceDiscoveryOptions.AllowDnsFallback"/> is set.
    /// </summary>
    public static IServiceCollection AddFastPath(this IServiceCollection services, Action<FastPathServiceDiscoveryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddServiceDiscoveryCore();
        var options = services.AddOptions<FastPathServiceDiscoveryOptions>();
        if (configure is not null) options.Configure(configure);
        services.TryAddSingleton(sp => new FastPathMetrics(sp.GetService<IMeterFactory>(), sp.GetService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceEndpointProviderFactory, FastPathServiceEndpointProviderFactory>());

        // The pass-through factory is internal to MESD: found by its name, re-registered after ours behind the gate.
        var passThrough = services.FirstOrDefault(d => d.ServiceType == typeof(IServiceEndpointProviderFactory) && d.ImplementationType?.FullName == PassThroughFactory);
        if (passThrough?.ImplementationType is { } type)
        {
            services.Remove(passThrough);
            services.AddSingleton<IServiceEndpointProviderFactory>(sp =>
            {
                var inner = (IServiceEndpointProviderFactory)ActivatorUtilities.CreateInstance(sp, type);
                return sp.GetRequiredService<IOptions<FastPathServiceDiscoveryOptions>>().Value.AllowDnsFallback ? inner : new PassThroughGate(inner);
            });
        }
        return services;
    }

    /// <summary>Resolves cluster names from <paramref name="source"/> (a live cluster, or <c>new SnapshotPublisher(snapshot)</c>).</summary>
    public static IServiceCollection AddFastPath(this IServiceCollection services, IClusterSnapshotSource source, Action<FastPathServiceDiscoveryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(source);
        services.TryAddSingleton(source);
        return services.AddFastPath(configure);
    }
}
