using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using FastPath.Compiled;
using FastPath.Model;
using FastPath.Model.Diagnostics;
using FastPath.Model.Loading;
using FastPath.Model.Tables;
using FastPath.Model.Planning;
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
    /// <summary>
    /// How many ClientIP persistence templates live at once (<see cref="CompiledDataPlane.DefaultPersistenceCapacity"/>
    /// by default); past it the template nearest to expiry in the new client's probe window is evicted.
    /// </summary>
    public int PersistenceCapacity { get; init; } = CompiledDataPlane.DefaultPersistenceCapacity;
    public TimeProvider Time { get; init; } = TimeProvider.System;
    public ILogger Logger { get; init; } = NullLogger.Instance;
}

/// <summary>
/// A cluster that changes: API objects (each as its manifest text, YAML or JSON) are added, replaced and removed, and
/// a new <see cref="ClusterSnapshot"/> is published after each burst. Objects the model rejects are logged with
/// their kind, namespace, name and reason and left out; the rest of the cluster is unaffected. Nothing is published
/// before <see cref="MarkSynced"/> (a half-listed cluster would answer NXDOMAIN for names that exist).
/// <para>
/// Each object is parsed on its own when it arrives. A burst that changes only Services, EndpointSlices and Endpoints
/// is applied incrementally: only those Services' DNS names and ports are re-planned, and the snapshot shares every
/// other table with the one before (see <see cref="LiveDnsTable"/> and <see cref="CompiledDataPlane"/>). The kubelet's
/// variables depend on Services only: they are re-planned for a namespace when one of its Services' name, ClusterIP or
/// ports change (for every namespace when default/kubernetes does), and an endpoint change keeps them. Namespaces,
/// Nodes, Pods, the coredns ConfigMap, a new namespace or node, the name server's own Service, and the periodic
/// compaction of replaced answers rebuild everything. Either way the snapshot answers exactly as a full build of the
/// same objects (<see cref="Model"/>) would; the SOA serial is the content hash taken at the last full build.
/// The persistence table and scheduler state carry over from snapshot to snapshot.
/// </para>
/// </summary>
public sealed partial class LiveCluster : IClusterSnapshotSource, IDisposable
{
    private readonly LiveClusterOptions _options;
    private readonly SnapshotPublisher _publisher = new();
    private readonly object _gate = new();
    private readonly LiveObjects _objects;
    private readonly Dictionary<ObjectKey, Diagnostic[]> _rejected = new();
    private readonly HashSet<string> _changedServices = new(StringComparer.Ordinal);
    // Namespaces whose kubelet variables may differ (a Service's name, ClusterIP or ports changed there); all of them
    // when the master Service's did. Endpoints never change variables.
    private readonly HashSet<string> _changedEnvironment = new(StringComparer.Ordinal);
    private bool _changedMaster;
    private readonly ITimer _timer;
    private readonly AffinityState _affinity;
    private bool _synced, _fullChange = true, _pending;
    private long _version;

    // The state the last snapshot was built from, kept for the next incremental update.
    private LiveDnsTable? _dns;
    private DnsPlan? _plan;
    private string _contentHash = "";
    private CompiledDataPlane? _plane;
    private IReadOnlyList<string> _nodes = [];
    private Dictionary<string, Node> _nodeMap = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _nodeRefs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<EndpointSlice>> _effective = new(StringComparer.Ordinal);
    private HashSet<string> _builtNamespaces = new(StringComparer.Ordinal);
    private long _builtNamespacesVersion = -1;
    private CompiledEnvironment? _environment;

    public LiveCluster(LiveClusterOptions? options = null)
    {
        _options = options ?? new LiveClusterOptions();
        _objects = new LiveObjects(_options.Load);
        _affinity = new AffinityState(_options.PersistenceCapacity, _options.Time);
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

    /// <summary>The objects the model rejects now, with why (each located at Kind/namespace/name).</summary>
    public IReadOnlyList<Diagnostic> Rejected
    {
        get { lock (_gate) return _rejected.OrderBy(r => r.Key.ToString(), StringComparer.Ordinal).SelectMany(r => r.Value).ToList(); }
    }

    /// <summary>How many snapshots were published by an incremental update, and how many by a full build.</summary>
    public (long Incremental, long Full) Builds { get { lock (_gate) return (_incrementalBuilds, _fullBuilds); } }
    private long _incrementalBuilds, _fullBuilds;

    /// <summary>Adds or replaces one object.</summary>
    public void Upsert(ObjectKey key, string manifest)
    {
        lock (_gate)
        {
            if (_objects.Contains(key, manifest)) return;
            Apply(key, manifest);
        }
    }

    public void Delete(ObjectKey key)
    {
        lock (_gate)
        {
            if (_rejected.Remove(key) && !_objects.Contains(key)) return;
            if (_objects.Contains(key)) Apply(key, null);
        }
    }

    /// <summary>Replaces every object of <paramref name="kind"/> (after a list or relist): objects not given are deleted.</summary>
    public void Replace(string kind, IEnumerable<KeyValuePair<ObjectKey, string>> objects)
    {
        lock (_gate)
        {
            var fresh = objects.ToDictionary(o => o.Key, o => o.Value);
            foreach (var key in _objects.Keys.Concat(_rejected.Keys).Where(k => k.Kind == kind && !fresh.ContainsKey(k)).ToList())
            {
                _rejected.Remove(key);
                if (_objects.Contains(key)) Apply(key, null);
            }
            foreach (var (key, text) in fresh)
                if (!_objects.Contains(key, text)) Apply(key, text);
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

    /// <summary>The whole cluster as the model, assembled now (what a full build of the current objects plans).</summary>
    public Cluster Model()
    {
        lock (_gate) return _objects.Assemble(_contentHash.Length > 0 ? _contentHash : _objects.ContentHash());
    }

    /// <summary>Parses one object and records it (or its rejection); notes what the next snapshot must re-plan.</summary>
    private void Apply(ObjectKey key, string? text)
    {
        var before = _objects.Get(key);
        ParsedObject? parsed = null;
        if (text is not null)
        {
            parsed = _objects.Parse(key, text, out var errors);
            if (parsed is null)
            {
                _rejected[key] = errors.Select(e => e with { Location = e.Location ?? new SourceLocation(key.ToString(), 1, 1) }).ToArray();
                foreach (var e in _rejected[key]) LogRejected(_options.Logger, key, e.Message);
                if (before is null) return; // nothing to undo: the object was not in the cluster
            }
            else _rejected.Remove(key);
        }
        _objects.Set(key, parsed);
        if (key.Kind is "Service" or "EndpointSlice" or "Endpoints")
        {
            if (before?.ServiceKey is { } b) _changedServices.Add(b);
            if (parsed?.ServiceKey is { } a) _changedServices.Add(a);
            if (key.Kind == "Endpoints") _changedServices.Add(key.Namespace + "/" + key.Name);
            if (key.Kind == "Service" && !EnvironmentPlanner.SameVariables(before?.Service, parsed?.Service))
            {
                if (key is { Namespace: "default", Name: "kubernetes" }) _changedMaster = true;
                else _changedEnvironment.Add(key.Namespace);
            }
        }
        else _fullChange = true;
        _pending = true;
        if (_synced) Schedule();
    }

    private void Schedule()
    {
        if (_options.Debounce <= TimeSpan.Zero) Flush();
        else _timer.Change(_options.Debounce, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Builds and publishes now whatever is pending (the debounce timer calls this); returns the current snapshot.</summary>
    public ClusterSnapshot? Flush()
    {
        lock (_gate)
        {
            if (!_synced || !_pending) return _publisher.Current;
            _pending = false;
            var services = _changedServices.OrderBy(s => s, StringComparer.Ordinal).ToArray();
            bool full = _fullChange || _dns is null || _dns.NeedsCompaction || !SameNamespaces() || services.Contains(KubeDns) && _options.DnsIps is null;
            _fullChange = false;
            _changedServices.Clear();
            var environment = _changedMaster ? null : _changedEnvironment.ToArray();
            _changedMaster = false;
            _changedEnvironment.Clear();
            ClusterSnapshot? snapshot = null;
            try
            {
                if (!full) snapshot = Incremental(services, environment);
                if (snapshot is null) { snapshot = Full(); full = true; }
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
            {
                // A planner fault must not take the cluster down: the last good snapshot keeps serving, the next burst rebuilds.
                LogBuildFailed(_options.Logger, ex);
                _fullChange = true;
                _dns = null;
                return _publisher.Current;
            }
            _publisher.Publish(snapshot, full ? SnapshotChange.Everything : new SnapshotChange(services, false));
            return snapshot;
        }
    }

    private const string KubeDns = "kube-system/kube-dns";

    // The version answers the common case without walking every namespace per change.
    private bool SameNamespaces()
    {
        if (_objects.NamespacesVersion == _builtNamespacesVersion) return true;
        if (!_builtNamespaces.SetEquals(_objects.Namespaces)) return false;
        _builtNamespacesVersion = _objects.NamespacesVersion;
        return true;
    }

    /// <summary>
    /// Re-plans the changed Services against the kept tables, and the variables of <paramref name="environment"/>'s
    /// namespaces (null: every namespace's); null when the change needs a full build.
    /// </summary>
    private ClusterSnapshot? Incremental(IReadOnlyList<string> services, IReadOnlyList<string>? environment)
    {
        var ports = new Dictionary<string, IReadOnlyList<PortPlan>>(StringComparer.Ordinal);
        foreach (var key in services)
        {
            var svc = _objects.Service(key);
            var slices = _objects.SlicesOf(key);
            if (!MoveNodeRefs(_effective.TryGetValue(key, out var old) ? old : [], slices)) return null;
            _effective[key] = slices;
            if (!_dns!.ReplaceService(key, svc, slices)) return null;
            ports[key] = svc is null ? [] : DataPlanePlanner.PlanService(svc, slices, _nodes, FindNode);
        }
        _plane = _plane!.WithServices(ports);
        if (environment is null || environment.Count > 0)
        {
            var master = _objects.Service("default/kubernetes");
            var plans = new List<EnvironmentPlan>();
            foreach (var ns in environment ?? _environment!.Namespaces) // the master Service is in every namespace
                if (_environment!.Has(ns)) plans.Add(EnvironmentPlanner.PlanNamespace(ns, master, _objects.ServicesIn(ns)));
            _environment = _environment!.WithNamespaces(plans);
        }
        _incrementalBuilds++;
        var dns = ClusterSnapshot.DnsOf(_dns!.Snapshot(), _plan!);
        // Readers (the reference engine, serve's status, integrations) may take the model from the snapshot: it is
        // assembled from the parsed objects when first read, not per change (assembling sorts the whole cluster).
        // PublicationOnly: a reader forcing it waits for the gate without holding a lock a publishing thread could want.
        return new ClusterSnapshot(++_version, dns, _plane, _environment!,
            new Lazy<Cluster?>(Model, LazyThreadSafetyMode.PublicationOnly), _options.Time.GetUtcNow());
    }

    /// <summary>Moves one Service's endpoint node names in the reference counts; false when the set of nodes changes (a full build).</summary>
    private bool MoveNodeRefs(IReadOnlyList<EndpointSlice> before, IReadOnlyList<EndpointSlice> after)
    {
        bool changed = false;
        void Move(IReadOnlyList<EndpointSlice> slices, int delta)
        {
            foreach (var sl in slices)
                foreach (var e in sl.Endpoints)
                    if (!string.IsNullOrEmpty(e.NodeName))
                    {
                        int n = (_nodeRefs.TryGetValue(e.NodeName!, out var c) ? c : 0) + delta;
                        if (n <= 0) { _nodeRefs.Remove(e.NodeName!); if (!_nodeMap.ContainsKey(e.NodeName!)) changed = true; }
                        else { if (c == 0 && !_nodeMap.ContainsKey(e.NodeName!)) changed = true; _nodeRefs[e.NodeName!] = n; }
                    }
        }
        Move(before, -1);
        Move(after, +1);
        return !changed;
    }

    private Node? FindNode(string name) => _nodeMap.TryGetValue(name, out var n) ? n : null;

    /// <summary>Plans everything from the current objects.</summary>
    private ClusterSnapshot Full()
    {
        _contentHash = _objects.ContentHash();
        var cluster = _objects.Assemble(_contentHash);
        _builtNamespaces = new HashSet<string>(_objects.Namespaces, StringComparer.Ordinal);
        _builtNamespacesVersion = _objects.NamespacesVersion;
        // The DNS tables are planned on another thread while this one plans the data plane: they read the same
        // immutable model, and each writes only its own fields.
        var dnsBuild = Task.Run(() => FullDns(cluster));
        (CompiledDataPlane Plane, CompiledEnvironment Environment) rest;
        try { rest = FullDataPlane(cluster); }
        // A fault here must not leave the DNS half writing this cluster's fields after the caller has moved on.
        finally { Task.WhenAny(dnsBuild).Wait(); }
        var dns = dnsBuild.GetAwaiter().GetResult();
        _fullBuilds++;
        return new ClusterSnapshot(++_version, dns, rest.Plane, rest.Environment, cluster, _options.Time.GetUtcNow());
    }

    /// <summary>The data plane and environment half of <see cref="Full"/>.</summary>
    private (CompiledDataPlane, CompiledEnvironment) FullDataPlane(Cluster cluster)
    {
        _nodeMap = cluster.Nodes.GroupBy(n => n.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        _nodes = DataPlanePlanner.Nodes(cluster.Nodes, cluster.EndpointSlices);
        _nodeRefs.Clear();
        _effective.Clear();
        foreach (var sl in cluster.EndpointSlices)
            if (sl.ServiceName is not null)
            {
                var key = sl.Namespace + "/" + sl.ServiceName;
                _effective[key] = _effective.TryGetValue(key, out var l) ? [.. l, sl] : [sl];
            }
        foreach (var slices in _effective.Values) MoveNodeRefs([], slices);
        // Ports of every Service; each takes over the scheduler state of the port it replaces.
        var previous = _plane;
        var plane = new CompiledDataPlane(_affinity);
        foreach (var s in cluster.Services)
            foreach (var p in DataPlanePlanner.PlanService(s, cluster.SlicesFor(s), _nodes, FindNode))
                plane.Add(CompiledDataPlane.Handle(_affinity, p, previous?.PortsOf(s.Namespace, s.Name).FirstOrDefault(h => h.Port == p.Port && h.Protocol == p.Protocol)));
        _plane = plane;
        var environment = _environment = CompiledEnvironmentFactory.FromPlan(EnvironmentPlanner.Plan(cluster));
        return (plane, environment);
    }

    /// <summary>The DNS half of <see cref="Full"/>: the plan, the live table kept for updates, the engine over it.</summary>
    private CompiledDns FullDns(Cluster cluster)
    {
        var (planner, plan) = DnsPlanner.PlanForUpdates(cluster, _options.DnsIps);
        // Only zones, routes and options are read again: the entries (a name, answer ids and source per name) are in
        // the tables now and kept alive nowhere else.
        _plan = plan with { Entries = [] };
        if (planner is null)
        {
            // No kubernetes block: every change is a full build.
            _dns = null;
            return ClusterSnapshot.DnsOf(SnapshotTables.Build(plan), plan);
        }
        _dns = new LiveDnsTable(planner, plan);
        return ClusterSnapshot.DnsOf(_dns.Snapshot(), plan);
    }

    public void Dispose() => _timer.Dispose();

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Skipping {Object}: {Reason}")]
    private static partial void LogRejected(ILogger logger, ObjectKey @object, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "The cluster could not be planned; the last good snapshot keeps serving")]
    private static partial void LogBuildFailed(ILogger logger, Exception exception);
}
