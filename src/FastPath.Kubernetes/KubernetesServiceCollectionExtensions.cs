using System;
using System.Diagnostics.Metrics;
using FastPath.Kubernetes;
using FastPath.Live;
using k8s;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers FastPath's live Kubernetes source in a host.</summary>
public static class FastPathKubernetesServiceCollectionExtensions
{
    /// <summary>Follows the API server from the default kubeconfig (or in-cluster account).</summary>
    public static IServiceCollection AddFastPathKubernetes(this IServiceCollection services) => services.AddFastPathKubernetes(_ => { });

    /// <summary>
    /// Adds an <see cref="IKubernetesClusterSource"/> (also registered as <see cref="IClusterSnapshotSource"/>) whose
    /// watches start and stop with the host (an <see cref="IHostedService"/>). Nothing answers before the first full
    /// sync: <see cref="IClusterSnapshotSource.Current"/> is null until then.
    /// </summary>
    public static IServiceCollection AddFastPathKubernetes(this IServiceCollection services, Action<FastPathKubernetesOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<FastPathKubernetesOptions>().Configure(configure).Validate(o => { o.Validate(); return true; });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<FastPathKubernetesOptions>>().Value;
            return new KubernetesClusterSource(options, new k8s.Kubernetes(KubernetesClusterSource.Configure(options)),
                sp.GetRequiredService<TimeProvider>(), sp.GetService<ILoggerFactory>()?.CreateLogger("FastPath.Kubernetes"), sp.GetService<IMeterFactory>());
        });
        services.TryAddSingleton<IKubernetesClusterSource>(sp => sp.GetRequiredService<KubernetesClusterSource>());
        services.TryAddSingleton<IClusterSnapshotSource>(sp => sp.GetRequiredService<KubernetesClusterSource>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, KubernetesClusterSource>(sp => sp.GetRequiredService<KubernetesClusterSource>()));
        return services;
    }
}
