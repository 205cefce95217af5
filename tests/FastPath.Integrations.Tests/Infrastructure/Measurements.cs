using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using FastPath.Diagnostics;

namespace FastPath.Integrations.Tests.Infrastructure;

/// <summary>
/// The host's IMeterFactory for one test (its meters carry it as their scope) and a MeterListener that hears those
/// meters alone, so tests running in parallel do not see each other's measurements.
/// </summary>
public sealed class Measurements : IMeterFactory
{
    private readonly List<Meter> _meters = new();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Name, double Value, Dictionary<string, object?> Tags)> _taken = new();

    public Measurements()
    {
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FastPathMetrics.MeterName && instrument.Meter.Scope == this) l.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => _taken.Enqueue((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => _taken.Enqueue((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        _listener.Start();
    }

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Scope = this });
        lock (_meters) _meters.Add(meter);
        return meter;
    }

    /// <summary>Everything measured so far (observable gauges read now), as "name tag=value …" lines in order.</summary>
    public List<(string Name, double Value, Dictionary<string, object?> Tags)> Taken()
    {
        _listener.RecordObservableInstruments();
        return _taken.ToList();
    }

    public int Count(string name, params (string Tag, object? Value)[] tags) =>
        Taken().Count(m => m.Name == name && tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Tag), t.Value)));

    public void Dispose()
    {
        _listener.Dispose();
        lock (_meters) foreach (var m in _meters) m.Dispose();
    }
}
