using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using k8s;

namespace FastPath.Kubernetes;

/// <summary>
/// The watcher's instruments (Meter <c>FastPath.Kubernetes</c>): how stale the served snapshot may be, relists by
/// reason, and watch events by type. Tags are the resource and a small fixed vocabulary, never object names.
/// </summary>
internal sealed class KubernetesMetrics : IDisposable
{
    public const string MeterName = "FastPath.Kubernetes";
    private readonly Meter _meter;
    private readonly Counter<long> _relists;
    private readonly Counter<long> _events;

    public KubernetesMetrics(IMeterFactory? factory, Func<double> staleness, Func<int> synced)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _relists = _meter.CreateCounter<long>("fastpath.kubernetes.relists", "{relist}", "Lists after the first: after 410 Gone or a broken watch.");
        _events = _meter.CreateCounter<long>("fastpath.kubernetes.watch.events", "{event}", "Watch events received.");
        _meter.CreateObservableGauge("fastpath.kubernetes.staleness", staleness, "s",
            "How long some watched resource has not been current (0 while every watch is up): the served snapshot may be this old.");
        _meter.CreateObservableGauge("fastpath.kubernetes.synced", synced, "{bool}", "1 once every resource has been listed.");
    }

    public void Relist(WatchedResource r, string reason) =>
        _relists.Add(1, new KeyValuePair<string, object?>("resource", r.Api.Resource), new KeyValuePair<string, object?>("reason", reason));

    public void Event(WatchedResource r, WatchEventType type)
    {
        if (!_events.Enabled) return;
        _events.Add(1, new KeyValuePair<string, object?>("resource", r.Api.Resource), new KeyValuePair<string, object?>("type", type.ToString()));
    }

    public void Dispose() => _meter.Dispose();
}
