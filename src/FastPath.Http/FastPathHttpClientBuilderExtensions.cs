using System;
using System.Diagnostics.Metrics;
using System.Net.Http;
using FastPath.Diagnostics;
using FastPath.Http;
using FastPath.Live;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registration of FastPath's connection routing for a named or typed HttpClient.</summary>
public static class FastPathHttpClientBuilderExtensions
{
    /// <summary>Routes the client's connections by the registered <see cref="IClusterSnapshotSource"/>.</summary>
    public static IHttpClientBuilder AddFastPath(this IHttpClientBuilder builder) => builder.AddFastPath(null);

    /// <summary>
    /// Routes the client's connections by the registered <see cref="IClusterSnapshotSource"/>: its primary handler
    /// becomes a SocketsHttpHandler whose ConnectCallback picks the endpoint kube-proxy would.
    /// </summary>
    public static IHttpClientBuilder AddFastPath(this IHttpClientBuilder builder, Action<FastPathHttpOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(sp => new FastPathMetrics(sp.GetService<IMeterFactory>(), sp.GetService<TimeProvider>()));
        var options = builder.Services.AddOptions<FastPathHttpOptions>(builder.Name);
        if (configure is not null) options.Configure(configure);
        builder.ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
        {
            ConnectCallback = new FastPathConnector(
                sp.GetRequiredService<IClusterSnapshotSource>(),
                sp.GetRequiredService<IOptionsMonitor<FastPathHttpOptions>>().Get(builder.Name),
                sp.GetRequiredService<FastPathMetrics>(),
                sp.GetService<ILoggerFactory>()?.CreateLogger("FastPath.Http"),
                sp.GetService<TimeProvider>()).ConnectAsync,
        });
        return builder;
    }
}
