using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using FastPath.Live;
using FastPath.Runtime;

namespace FastPath.Diagnostics;

/// <summary>
/// The instruments every FastPath integration reports to (Meter <see cref="MeterName"/>): lookups, misses with their
/// reason, selections per endpoint, and the age of the snapshot each source serves. Tags are low-cardinality:
/// the integration, a miss reason, and for selections the service and endpoint (bounded by the endpoints of the
/// services the app calls). Nothing is recorded, or allocated, for an instrument nobody listens to.
/// </summary>
public sealed class FastPathMetrics : IDisposable
{
    public const string MeterName = "FastPath";

    /// <summary>Counter: services looked up by an integration (one per new connection, request or resolve).</summary>
    public const string LookupsName = "fastpath.lookups";
    /// <summary>Counter: lookups that found no endpoint to use, tagged with <c>fastpath.miss.reason</c>.</summary>
    public const string MissesName = "fastpath.lookup.misses";
    /// <summary>Counter: endpoints chosen, tagged with the service, the endpoint and whether affinity chose it.</summary>
    public const string SelectionsName = "fastpath.selections";
    /// <summary>Gauge (seconds): how old the snapshot each observed source currently serves is.</summary>
    public const string SnapshotAgeName = "fastpath.snapshot.age";

    public const string IntegrationTag = "fastpath.integration";
    public const string ReasonTag = "fastpath.miss.reason";
    public const string ServiceTag = "fastpath.service";
    public const string EndpointTag = "fastpath.endpoint";
    public const string StickyTag = "fastpath.sticky";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _lookups, _misses, _selections;
    private readonly TimeProvider _time;
    private readonly List<(IClusterSnapshotSource Source, string Integration)> _sources = new();

    /// <param name="meterFactory">The host's factory (DI); null creates a private meter, disposed with this object.</param>
    public FastPathMetrics(IMeterFactory? meterFactory = null, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _lookups = _meter.CreateCounter<long>(LookupsName, "{lookup}", "Services looked up by a FastPath integration");
        _misses = _meter.CreateCounter<long>(MissesName, "{lookup}", "Lookups that found no endpoint to use");
        _selections = _meter.CreateCounter<long>(SelectionsName, "{selection}", "Endpoints chosen for new connections or requests");
        _meter.CreateObservableGauge(SnapshotAgeName, ObserveAges, "s", "Age of the cluster snapshot a source currently serves");
    }

    /// <summary>
    /// Reports <paramref name="source"/>'s snapshot age under <paramref name="integration"/> until disposal; observing
    /// the same pair again (a handler rebuilt by IHttpClientFactory) adds nothing.
    /// </summary>
    public void ObserveSource(IClusterSnapshotSource source, string integration)
    {
        lock (_sources)
        {
            foreach (var (s, i) in _sources) if (ReferenceEquals(s, source) && i == integration) return;
            _sources.Add((source, integration));
        }
    }

    public void Lookup(string integration)
    {
        if (_lookups.Enabled) _lookups.Add(1, new KeyValuePair<string, object?>(IntegrationTag, integration));
    }

    /// <param name="reason">One of the fixed <see cref="MissReason"/> texts.</param>
    public void Miss(string integration, string reason)
    {
        if (_misses.Enabled) _misses.Add(1, new KeyValuePair<string, object?>(IntegrationTag, integration), new KeyValuePair<string, object?>(ReasonTag, reason));
    }

    /// <summary>Whether anyone listens to <see cref="SelectionsName"/>: a hot path skips preparing its tags when not.</summary>
    public bool SelectionsEnabled => _selections.Enabled;

    public void Selection(string integration, string service, string endpoint, bool sticky)
    {
        if (!_selections.Enabled) return;
        var tags = new TagList
        {
            { IntegrationTag, integration },
            { ServiceTag, service },
            { EndpointTag, endpoint },
            { StickyTag, sticky },
        };
        _selections.Add(1, in tags);
    }

    private IEnumerable<Measurement<double>> ObserveAges()
    {
        (IClusterSnapshotSource Source, string Integration)[] sources;
        lock (_sources) sources = _sources.ToArray();
        var now = _time.GetUtcNow();
        foreach (var (source, integration) in sources)
            if (source.Current is { } snapshot)
                yield return new Measurement<double>((now - snapshot.CreatedAt).TotalSeconds, new KeyValuePair<string, object?>(IntegrationTag, integration));
    }

    public void Dispose()
    {
        if (_ownsMeter) _meter.Dispose();
    }
}

/// <summary>The values of the <c>fastpath.miss.reason</c> tag.</summary>
public static class MissReason
{
    /// <summary>No snapshot yet (the source has not synced).</summary>
    public const string NotSynced = "not_synced";
    /// <summary>The name is not a Service of the cluster (or not in its zone).</summary>
    public const string UnknownService = "unknown_service";
    /// <summary>The Service exists without that port name or number.</summary>
    public const string UnknownPort = "unknown_port";
    /// <summary>kube-proxy rejects: no ready or serving-terminating endpoint anywhere.</summary>
    public const string NoEndpoints = "no_endpoints";
    /// <summary>kube-proxy drops: a Local traffic policy with no endpoint on this node.</summary>
    public const string NoLocalEndpoints = "no_local_endpoints";
    /// <summary>Headless or ExternalName: kube-proxy does not proxy it.</summary>
    public const string NotProxied = "not_proxied";
    /// <summary>
    /// kube-proxy would use some endpoint, but the framework's own view has none usable (YARP's health checks marked
    /// them unhealthy; no gRPC subchannel accepts connections).
    /// </summary>
    public const string Unavailable = "unavailable";

    /// <summary>The reason for a resolution that gave no endpoint; null for one that did (or a name not in the cluster).</summary>
    public static string? For(ServiceResolution resolution) => resolution.Outcome switch
    {
        ServiceResolutionOutcome.UnknownService => UnknownService,
        ServiceResolutionOutcome.UnknownPort or ServiceResolutionOutcome.AmbiguousPort => UnknownPort,
        ServiceResolutionOutcome.NotProxied => NotProxied,
        ServiceResolutionOutcome.NoEligibleEndpoints => For(resolution.Decision?.Action ?? ProxyAction.Reject),
        _ => null,
    };

    /// <summary>The reason kube-proxy's decision gives no endpoint: drop (Local policy) or not proxied, else reject.</summary>
    public static string For(ProxyAction action) => action switch
    {
        ProxyAction.Drop => NoLocalEndpoints,
        ProxyAction.NotProxied => NotProxied,
        _ => NoEndpoints,
    };
}
