using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FastPath.Live;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;

namespace FastPath.Kubernetes;

/// <summary>
/// Runs one <see cref="ResourceWatch"/> per watched resource and feeds their objects to a <see cref="LiveCluster"/>,
/// which publishes the snapshots. Marks the cluster synced once every stream has listed; tracks which streams are
/// current for staleness; starts or stops the pods watch when the <c>coredns</c> ConfigMap's Corefile changes whether
/// it needs Pods.
/// </summary>
internal sealed class KubernetesClusterSource : IKubernetesClusterSource, IHostedService, IAsyncDisposable, IWatchSink
{
    private readonly FastPathKubernetesOptions _options;
    private readonly IKubernetes _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LiveCluster _live;
    private readonly KubernetesMetrics _metrics;
    private readonly object _gate = new();
    private readonly Dictionary<string, Running> _streams = new(StringComparer.Ordinal);
    /// <summary>Each stream's objects: a relist of one stream replaces its kind with the union of all its streams.</summary>
    private readonly Dictionary<ResourceWatch, Dictionary<ObjectKey, string>> _objects = new();
    private CancellationTokenSource? _stop;
    private bool _podsNeeded, _synced;
    private int _disposed;
    private DateTimeOffset? _staleSince;

    private sealed class Running(ResourceWatch watch, CancellationTokenSource stop, Task task)
    {
        public ResourceWatch Watch { get; } = watch;
        public CancellationTokenSource Stop { get; } = stop;
        public Task Task { get; } = task;
        public bool Listed { get; set; }
        public bool Current { get; set; }
    }

    public KubernetesClusterSource(FastPathKubernetesOptions options, IKubernetes client, TimeProvider? time = null, ILogger? logger = null, IMeterFactory? meters = null)
    {
        options.Validate();
        _options = options;
        _client = client;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _live = new LiveCluster(new LiveClusterOptions { Debounce = options.Debounce, Load = options.Load, DnsIps = options.DnsIps, Time = _time, Logger = _logger });
        _metrics = new KubernetesMetrics(meters, () => Staleness.TotalSeconds, () => IsSynced ? 1 : 0);
        _podsNeeded = WatchPlan.CorefileNeedsPods(null, options.Load);
    }

    /// <summary>Builds the client from the options: a given configuration, in-cluster, a kubeconfig file, or the default lookup.</summary>
    public static KubernetesClientConfiguration Configure(FastPathKubernetesOptions options)
    {
        if (options.Configuration is not null) return options.Configuration;
        if (options.InCluster) return KubernetesClientConfiguration.InClusterConfig();
        if (options.KubeconfigPath is not null) return KubernetesClientConfiguration.BuildConfigFromConfigFile(options.KubeconfigPath, options.Context);
        return KubernetesClientConfiguration.IsInCluster() && options.Context is null
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile(currentContext: options.Context);
    }

    public ClusterSnapshot? Current => _live.Current;
    public bool IsSynced => _live.IsSynced;
    public Task WaitForSyncAsync(CancellationToken cancellationToken = default) => _live.WaitForSyncAsync(cancellationToken);
    public IChangeToken GetChangeToken() => _live.GetChangeToken();
    public event EventHandler<SnapshotChangedEventArgs>? SnapshotChanged
    {
        add => _live.SnapshotChanged += value;
        remove => _live.SnapshotChanged -= value;
    }

    public bool IsStale { get { lock (_gate) return _synced && _staleSince is not null; } }

    public DateTimeOffset? LastSyncedAt
    {
        get { lock (_gate) return !_synced ? null : _staleSince ?? _time.GetUtcNow(); }
    }

    /// <summary>How long the snapshot may lag the API server: zero while every stream is current.</summary>
    internal TimeSpan Staleness
    {
        get { lock (_gate) return _synced && _staleSince is { } since ? _time.GetUtcNow() - since : TimeSpan.Zero; }
    }

    /// <summary>The live cluster fed by the watches (its rejected objects, tests flushing it).</summary>
    internal LiveCluster Live => _live;

    /// <summary>The streams now running, by name (<c>services</c>, <c>pods@shop</c>).</summary>
    internal IReadOnlyList<WatchedResource> Watched { get { lock (_gate) return _streams.Values.Select(r => r.Watch.Resource).ToList(); } }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_stop is not null) throw new InvalidOperationException("The Kubernetes source is already started");
            _stop = new CancellationTokenSource();
            Reconcile();
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task[] tasks;
        lock (_gate)
        {
            if (_stop is null || _stop.IsCancellationRequested) return;
            _stop.Cancel();
            tasks = _streams.Values.Select(r => r.Task).ToArray();
        }
        await Task.WhenAll(tasks).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        // A host disposes each registration of this one instance (source, snapshot source, hosted service).
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _live.Dispose();
        _metrics.Dispose();
        _client.Dispose();
        _stop?.Dispose();
    }

    /// <summary>Starts the streams the plan wants and stops the others (under the gate).</summary>
    private void Reconcile()
    {
        var wanted = WatchPlan.For(_options, _podsNeeded).ToDictionary(w => w.Api.Resource + "|" + w.Name + "|" + w.FieldSelector, StringComparer.Ordinal);
        foreach (var (id, running) in _streams.Where(s => !wanted.ContainsKey(s.Key)).ToList())
        {
            running.Stop.Cancel();
            _streams.Remove(id);
            _objects.Remove(running.Watch);
            _live.Replace(running.Watch.Resource.Api.Kind, Union(running.Watch.Resource.Api.Kind));
        }
        foreach (var (id, resource) in wanted.Where(w => !_streams.ContainsKey(w.Key)))
        {
            var watch = new ResourceWatch(resource, _client, this, _options, _time, _logger, _metrics);
            var stop = CancellationTokenSource.CreateLinkedTokenSource(_stop!.Token);
            _objects[watch] = new Dictionary<ObjectKey, string>();
            _streams[id] = new Running(watch, stop, Task.Run(() => watch.RunAsync(stop.Token)));
        }
    }

    private IEnumerable<KeyValuePair<ObjectKey, string>> Union(string kind) =>
        _objects.Where(o => o.Key.Resource.Api.Kind == kind).SelectMany(o => o.Value);

    private Running? Find(ResourceWatch stream) => _streams.Values.FirstOrDefault(r => r.Watch == stream);

    void IWatchSink.Listed(ResourceWatch stream, IReadOnlyList<KeyValuePair<ObjectKey, string>> objects)
    {
        lock (_gate)
        {
            if (Find(stream) is not { } running || running.Stop.IsCancellationRequested) return;
            var mine = _objects[stream];
            mine.Clear();
            foreach (var (key, text) in objects) mine[key] = text;
            // One Replace under the live cluster's lock: readers see the state before or after the relist, never half.
            _live.Replace(stream.Resource.Api.Kind, Union(stream.Resource.Api.Kind));
            running.Listed = true;
            if (stream.Resource.Api == ResourceApi.ConfigMaps) CorefileChanged(objects.Select(o => o.Value).FirstOrDefault());
            if (!_synced && _streams.Values.All(r => r.Listed))
            {
                _synced = true;
                _live.MarkSynced();
                Log.Synced(_logger, string.Join(", ", _streams.Values.Select(r => r.Watch.Name).OrderBy(n => n, StringComparer.Ordinal)));
            }
        }
    }

    void IWatchSink.Upserted(ResourceWatch stream, ObjectKey key, string text)
    {
        lock (_gate)
        {
            if (Find(stream) is not { } running || running.Stop.IsCancellationRequested) return;
            _objects[stream][key] = text;
            _live.Upsert(key, text);
            if (stream.Resource.Api == ResourceApi.ConfigMaps) CorefileChanged(text);
        }
    }

    void IWatchSink.Deleted(ResourceWatch stream, ObjectKey key)
    {
        lock (_gate)
        {
            if (Find(stream) is not { } running || running.Stop.IsCancellationRequested) return;
            _objects[stream].Remove(key);
            _live.Delete(key);
            if (stream.Resource.Api == ResourceApi.ConfigMaps) CorefileChanged(null);
        }
    }

    /// <summary>Raised after a stream becomes current or stops being so (tests wait on it).</summary>
    internal event Action? HealthChanged;

    void IWatchSink.Health(ResourceWatch stream, bool current)
    {
        HealthCore(stream, current);
        HealthChanged?.Invoke();
    }

    private void HealthCore(ResourceWatch stream, bool current)
    {
        lock (_gate)
        {
            if (Find(stream) is not { } running) return;
            running.Current = current;
            var now = _time.GetUtcNow();
            if (!current) _staleSince ??= now;
            else if (_staleSince is { } since && _streams.Values.All(r => r.Current))
            {
                _staleSince = null;
                Log.Resynced(_logger, now - since);
            }
        }
    }

    /// <summary>A new Corefile from the ConfigMap (null: deleted, back to the default): start or stop the pods watch if its need changed.</summary>
    private void CorefileChanged(string? configMapJson)
    {
        string? corefile = configMapJson is null ? null : WatchPlan.CorefileOf(KubernetesJson.Deserialize<V1ConfigMap>(configMapJson));
        bool needed = WatchPlan.CorefileNeedsPods(corefile, _options.Load);
        if (needed == _podsNeeded) return;
        _podsNeeded = needed;
        if (_options.Pods == PodWatch.Corefile)
            Log.PodsNeeded(_logger, needed ? "now asks for" : "no longer asks for", needed ? "starting" : "stopping");
        Reconcile();
    }
}
