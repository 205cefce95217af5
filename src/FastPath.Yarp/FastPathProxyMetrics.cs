using System;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using FastPath.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace FastPath.Yarp;

/// <summary>
/// Reports every request YARP routed to a FastPath cluster, whichever load-balancing policy chose (YARP's own too):
/// a lookup, then the destination as a selection or, when YARP answered 503 for want of one, a miss with the reason
/// FastPath wrote on the cluster (<see cref="FastPathMetadata.MissReason"/>; <c>unavailable</c> when FastPath had
/// eligible endpoints and YARP's health checks left none). Read after the request, from YARP's own features.
/// </summary>
internal sealed class FastPathProxyMetrics(FastPathMetrics metrics) : IStartupFilter
{
    public const string Integration = "yarp";
    private readonly ConditionalWeakTable<ClusterModel, string> _serviceKeys = new();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, inner) =>
        {
            await inner(context).ConfigureAwait(false);
            Record(context);
        });
        next(app);
    };

    private void Record(HttpContext context)
    {
        var proxy = context.Features.Get<IReverseProxyFeature>();
        var meta = proxy?.Cluster.Config.Metadata;
        if (meta is null || !meta.ContainsKey(FastPathMetadata.Service)) return; // not a FastPath cluster
        metrics.Lookup(Integration);
        if (proxy!.ProxiedDestination is { } destination)
        {
            if (!metrics.SelectionsEnabled) return;
            var service = _serviceKeys.GetValue(proxy.Cluster, static c => c.Config.Metadata![FastPathMetadata.Namespace] + "/" + c.Config.Metadata[FastPathMetadata.Service]);
            metrics.Selection(Integration, service, destination.DestinationId, context.Features.Get<FastPathPickFeature>()?.Sticky ?? false);
        }
        else if (context.Features.Get<IForwarderErrorFeature>()?.Error == ForwarderError.NoAvailableDestinations)
            metrics.Miss(Integration, meta.TryGetValue(FastPathMetadata.MissReason, out var reason) ? reason : MissReason.Unavailable);
    }
}

/// <summary>
/// Set by the FastPath policies on a request while someone listens to selections: whether persistence chose the
/// destination. The two instances are shared, so setting one allocates nothing per request.
/// </summary>
internal sealed class FastPathPickFeature
{
    public static readonly FastPathPickFeature Persisted = new(true), Scheduled = new(false);

    private FastPathPickFeature(bool sticky) => Sticky = sticky;

    public bool Sticky { get; }

    public static void Mark(HttpContext context, FastPathMetrics metrics, bool sticky)
    {
        if (metrics.SelectionsEnabled) Set(context, sticky);
    }

    // Out of line: the picks inline Mark, and the feature collection's calls only run while someone listens.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Set(HttpContext context, bool sticky) => context.Features.Set(sticky ? Persisted : Scheduled);
}
