using System.Globalization;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using FastPath.Diagnostics;
using FastPath.Live;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.ServiceDiscovery;

namespace FastPath.ServiceDiscovery;

/// <summary>
/// The endpoints kube-proxy would send this node's traffic to for one Service port, read from the current snapshot
/// (no DNS query). The snapshot source's change token is added on every populate, so MESD re-populates exactly
/// when a new snapshot is published and never polls.
/// </summary>
internal sealed partial class FastPathServiceEndpointProvider(IClusterSnapshotSource source, ServiceName service, string? endpointName,
    int? uriPort, int[] preferredPorts, string? node, ILogger<FastPathServiceEndpointProvider> logger,
    FastPathServiceEndpointProviderFactory.FastPathProviderDiagnostics diagnostics) : IServiceEndpointProvider
{
    public async ValueTask PopulateAsync(IServiceEndpointBuilder endpoints, CancellationToken cancellationToken)
    {
        // Take the token before reading the snapshot: a publish in between fires it and we populate again.
        endpoints.AddChangeToken(source.GetChangeToken());
        if (endpoints.Endpoints.Count > 0)
        {
            Log.SkippedExisting(logger, service.ToString());
            return;
        }
        if (source.Current is null) await source.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
        var snapshot = source.Current!;
        var port = endpointName ?? uriPort?.ToString(CultureInfo.InvariantCulture);
        var result = ServiceResolution.Resolve(snapshot, service, port, node, preferredPorts);
        if (result.Outcome == ServiceResolutionOutcome.NotInCluster)
        {
            Log.NotInCluster(logger, service.ToString(), result.Reason);
            return; // not ours: later providers (configuration, DNS) answer as they would without FastPath
        }
        var metrics = diagnostics.Metrics;
        metrics.Lookup(FastPathServiceEndpointProviderFactory.Integration);
        diagnostics.SnapshotUse.Observe(snapshot.Version);
        endpoints.Features.Set<IFastPathResolutionFeature>(new FastPathResolutionFeature(result.Outcome, result.Reason, snapshot.Version));
        if (!result.Succeeded)
        {
            metrics.Miss(FastPathServiceEndpointProviderFactory.Integration, MissReason.For(result) ?? MissReason.NoEndpoints);
            Log.NoEndpoints(logger, service.ToString(), result.Outcome, result.Reason, snapshot.Version);
            return;
        }
        // MESD's own selector picks one of these per request; what FastPath chose is the set, counted per endpoint.
        var serviceKey = result.Port!.Namespace + "/" + result.Port.Service;
        foreach (var ep in result.Endpoints)
        {
            endpoints.Endpoints.Add(ServiceEndpoint.Create(IPEndPoint.Parse(ep)));
            metrics.Selection(FastPathServiceEndpointProviderFactory.Integration, serviceKey, ep, sticky: false);
        }
        Log.Resolved(logger, service.ToString(), result.Endpoints.Count, snapshot.Version);
    }

    public ValueTask DisposeAsync() => default;

    public override string ToString() => "FastPath";

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "FastPath: {Service} resolved to {Count} endpoint(s) from snapshot {Version}", EventName = "Resolved")]
        public static partial void Resolved(ILogger logger, string service, int count, long version);

        [LoggerMessage(2, LogLevel.Warning, "FastPath: {Service} has no endpoints ({Outcome}): {Reason} (snapshot {Version})", EventName = "NoEndpoints")]
        public static partial void NoEndpoints(ILogger logger, string service, ServiceResolutionOutcome outcome, string reason, long version);

        [LoggerMessage(3, LogLevel.Debug, "FastPath: {Service} left to other providers: {Reason}", EventName = "NotInCluster")]
        public static partial void NotInCluster(ILogger logger, string service, string reason);

        [LoggerMessage(4, LogLevel.Debug, "FastPath: {Service} already has endpoints from an earlier provider", EventName = "SkippedExisting")]
        public static partial void SkippedExisting(ILogger logger, string service);
    }
}
