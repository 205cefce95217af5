using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using FastPath.Model.Diagnostics;
using FastPath.Model.Loading;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;

namespace FastPath.Live;

/// <summary>Options of a <see cref="LiveCluster"/>.</summary>
public sealed record LiveClusterOptions
{
    /// <summary>How long to wait after a change for more before publishing (a burst is one snapshot). Zero publishes at once.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(10);
    /// <summary>How objects are loaded: Corefile override, service CIDR (as for manifests).</summary>
    public LoadOptions Load { get; init; } = new();
    /// <summary>The DNS server's own addresses; null means the ready endpoints of kube-system/kube-dns.</summary>
    public IReadOnlyList<IPAddress>? DnsIps { get; init; }
    public TimeProvider Time { get; init; } = TimeProvider.System;
    public ILogger Logger { get; init; } = NullLogger.Instance;
}

/// <summary>
/// A cluster that changes: API objects (each as its manifest text, YAML or JSON) are added, replaced and removed, and
/// a new <see cref="ClusterSnapshot"/> is published after each burst. Objects the model rejects are logged with
/// their kind, namespace, name and reason and left out; the rest of the cluster is unaffected. Nothing is published
/// before <see cref="MarkSynced"/> (a half-listed cluster would answer NXDOMAIN for names that exist).
/// </summary>
public sealed class LiveCluster : IClusterSnapshotSource, IDisposable
{
    private readonly LiveClusterOptions _options;
    private readonly SnapshotPublisher _publisher = new();
    private readonly object _gate = new();
    private readonly Dictionary<ObjectKey, string> _objects = new();
    private readonly HashSet<string> _changedServices = new(StringComparer.Ordinal);
    private readonly ITimer _timer;
    private bool _synced, _fullChange = true, _pending;
    private long _version;

    public LiveCluster(LiveClusterOptions? options = null)
    {
        _options = options ?? new LiveClusterOptions();
        _timer = _options.Time.CreateTimer(_ => Flush(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public ClusterSnapshot? Current => _publisher.Current;
    public bool IsSynced => _publisher.IsSynced;
    public Task WaitForSyncAsync(CancellationToken cancellationToken = default) => _publisher.WaitForSyncAsync(cancellationToken);
    public IChangeToken GetChangeToken() => _publisher.GetChangeToken();
    public event EventHandler<SnapshotChangedEventArgs>? SnapshotChanged
    {
        add => _publisher.SnapshotChanged += value;
        remove => _publisher.SnapshotChanged -= value;
    }

    /// <summary>The objects rejected by the last build, with why.</summary>
    public IReadOnlyList<Diagnostic> Rejected { get; private set; } = [];

    /// <summary>Adds or replaces one object.</summary>
    public void Upsert(ObjectKey key, string manifest)
    {
        lock (_gate)
        {
            if (_objects.TryGetValue(key, out var old) && old == manifest) return;
            _objects[key] = manifest;
            Changed(key);
        }
    }

    public void Delete(ObjectKey key)
    {
        lock (_gate)
        {
            if (_objects.Remove(key)) Changed(key);
        }
    }

    /// <summary>Replaces every object of <paramref name="kind"/> (after a list or relist): objects not given are deleted.</summary>
    public void Replace(string kind, IEnumerable<KeyValuePair<ObjectKey, string>> objects)
    {
        lock (_gate)
        {
            var fresh = objects.ToDictionary(o => o.Key, o => o.Value);
            foreach (var key in _objects.Keys.Where(k => k.Kind == kind && !fresh.ContainsKey(k)).ToList())
            {
                _objects.Remove(key);
                Changed(key);
            }
            foreach (var (key, text) in fresh)
                if (!_objects.TryGetValue(key, out var old) || old != text)
                {
                    _objects[key] = text;
                    Changed(key);
                }
        }
    }

    /// <summary>Every kind has been listed once: from now on snapshots are published.</summary>
    public void MarkSynced()
    {
        lock (_gate)
        {
            _synced = true;
            _pending = true;
            Schedule();
        }
    }

    /// <summary>Builds and publishes now whatever is pending (the debounce timer calls this); returns the current snapshot.</summary>
    public ClusterSnapshot? Flush()
    {
        lock (_gate)
        {
            if (!_synced || !_pending) return _publisher.Current;
            _pending = false;
            var change = _fullChange ? SnapshotChange.Everything : new SnapshotChange(_changedServices.OrderBy(s => s, StringComparer.Ordinal).ToArray(), false);
            _fullChange = false;
            _changedServices.Clear();
            var cluster = Load();
            if (cluster is null) return _publisher.Current; // logged; the last good snapshot keeps serving
            _publisher.Publish(ClusterSnapshot.Build(cluster, _options.DnsIps, ++_version, _options.Time), change);
            return _publisher.Current;
        }
    }

    private void Changed(ObjectKey key)
    {
        _pending = true;
        if (key.Kind is "Service" or "EndpointSlice" or "Endpoints")
        {
            // EndpointSlices name their Service in a label; the Service's own name is close enough to report the change.
            _changedServices.Add(key.Namespace + "/" + ServiceOf(key));
        }
        else _fullChange = true;
        if (_synced) Schedule();
    }

    private string ServiceOf(ObjectKey key) =>
        key.Kind == "EndpointSlice" && _objects.TryGetValue(key, out var text) && ServiceNameLabel(text) is { } svc ? svc : key.Name;

    private static string? ServiceNameLabel(string text)
    {
        const string label = "kubernetes.io/service-name";
        int i = text.IndexOf(label, StringComparison.Ordinal);
        if (i < 0) return null;
        int start = text.IndexOfAny([':'], i + label.Length);
        if (start < 0) return null;
        var rest = text.AsSpan(start + 1).TrimStart(" \"'");
        int end = rest.IndexOfAny("\"',}\n\r ");
        return (end < 0 ? rest : rest.Slice(0, end)).ToString();
    }

    private void Schedule()
    {
        if (_options.Debounce <= TimeSpan.Zero) Flush();
        else _timer.Change(_options.Debounce, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Loads every object; objects with errors are reported and left out, then the rest loads again.</summary>
    private Model.Cluster? Load()
    {
        var texts = _objects.Select(o => new ManifestText(o.Key.ToString(), o.Value)).ToList();
        var rejected = new List<Diagnostic>();
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var result = ClusterLoader.LoadTexts(texts, _options.Load);
            if (result.Cluster is not null)
            {
                Rejected = rejected;
                return result.Cluster;
            }
            var errors = result.Diagnostics.Where(d => d.IsError).ToList();
            var bad = new HashSet<string>(errors.Select(d => d.Location?.Path ?? ""), StringComparer.Ordinal);
            foreach (var e in errors)
                _options.Logger.LogWarning("Skipping {Object}: {Reason}", e.Location?.Path ?? "(the cluster)", e.Message);
            rejected.AddRange(errors);
            if (bad.Contains("") || texts.RemoveAll(t => bad.Contains(t.Path)) == 0) break;
        }
        Rejected = rejected;
        _options.Logger.LogError("The cluster could not be loaded; the last good snapshot keeps serving");
        return null;
    }

    public void Dispose() => _timer.Dispose();
}
