using System;
using FastPath.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace FastPath.Server;

/// <summary>Hosting the DNS server in an app: <c>services.AddFastPathDns(o => o.Endpoints.Add(...))</c>.</summary>
public static class DnsServerServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="DnsServer"/> as a hosted service answering from the registered
    /// <see cref="IClusterSnapshotSource"/> (register one first: a <see cref="LiveCluster"/>, a
    /// <see cref="SnapshotPublisher"/>, or the Kubernetes feed).
    /// </summary>
    public static IServiceCollection AddFastPathDns(this IServiceCollection services, Action<DnsServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new DnsServerOptions();
        configure?.Invoke(options);
        options.Validate();
        services.TryAddSingleton(options);
        services.TryAddSingleton(sp => new DnsServer(sp.GetRequiredService<IClusterSnapshotSource>(), sp.GetRequiredService<DnsServerOptions>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<DnsServer>());
        return services;
    }
}
