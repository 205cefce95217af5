using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Threading;
using FastPath.Runtime.Affinity;

namespace FastPath.Compiled;

/// <summary>
/// What successive data planes of one cluster share: the IPVS persistence table (ClientIP affinity) and the generation
/// that <see cref="CompiledDataPlane.Configure"/> bumps to make every port forget its scheduler state.
/// </summary>
internal sealed class AffinityState(int capacity, TimeProvider? time)
{
    private PersistenceTable _table = new(capacity, time);
    private int _generation;

    public PersistenceTable Table => Volatile.Read(ref _table);
    public int Generation => Volatile.Read(ref _generation);

    public void Replace(int capacity, TimeProvider? time)
    {
        Volatile.Write(ref _table, new PersistenceTable(capacity, time));
        Interlocked.Increment(ref _generation);
    }
}

/// <summary>
/// The service ports of a cluster and the persistence table their ClientIP affinity shares. A live cluster makes a
/// new plane per snapshot with <see cref="WithServices"/>: ports of unchanged Services are the same objects (their
/// schedulers and selectors carry on), the persistence table is shared, and only the changed Services' ports are new.
/// </summary>
public sealed class CompiledDataPlane
{
    /// <summary>
    /// The default capacity of the persistence table: at most this many ClientIP templates live at once (about 64 bytes
    /// each, 4 MB). Past it, a new client evicts the template nearest to expiry in its probe window (see
    /// <see cref="PersistenceTable"/>); IPVS itself grows without bound.
    /// </summary>
    public const int DefaultPersistenceCapacity = 1 << 16;

    // Ports of Services changed since _byService was built, by service key ("ns/name"): null for a deleted Service. A
    // persistent map, so that the next plane adds a change without copying the ones before it.
    private readonly ImmutableDictionary<string, ServicePortHandle[]?> _changed;
    private readonly Dictionary<string, ServicePortHandle[]> _byService;
    private ServicePortHandle[]? _ports;

    public CompiledDataPlane() : this(new AffinityState(DefaultPersistenceCapacity, null)) { }

    internal CompiledDataPlane(AffinityState state)
    {
        State = state;
        _changed = ImmutableDictionary.Create<string, ServicePortHandle[]?>(StringComparer.Ordinal);
        _byService = new Dictionary<string, ServicePortHandle[]>(StringComparer.Ordinal);
    }

    private CompiledDataPlane(AffinityState state, Dictionary<string, ServicePortHandle[]> byService, ImmutableDictionary<string, ServicePortHandle[]?> changed)
    {
        State = state;
        _byService = byService;
        _changed = changed;
    }

    internal AffinityState State { get; }

    /// <summary>Every port, Services in order of their key (namespace/name).</summary>
    public IReadOnlyList<ServicePortHandle> Ports => _ports ??= AllPorts();

    public PersistenceTable Persistence => State.Table;
    internal int Generation => State.Generation;

    /// <summary>Replaces the persistence table (its clock and capacity) and forgets scheduler state: for tests and simulations.</summary>
    public void Configure(TimeProvider? time = null, int persistenceCapacity = DefaultPersistenceCapacity) => State.Replace(persistenceCapacity, time);

    /// <summary>Builds the data plane from the plan bytes generated code carries.</summary>
    public static CompiledDataPlane FromPlan(IReadOnlyList<Model.Planning.PortPlan> ports) => FromPlan(ports, new AffinityState(DefaultPersistenceCapacity, null));

    internal static CompiledDataPlane FromPlan(IReadOnlyList<Model.Planning.PortPlan> ports, AffinityState state)
    {
        var plane = new CompiledDataPlane(state);
        foreach (var p in ports) plane.Add(Handle(state, p, null));
        return plane;
    }

    internal static ServicePortHandle Handle(AffinityState state, Model.Planning.PortPlan p, ServicePortHandle? previous)
    {
        var decisions = new CompiledDecision[p.Decisions.Count];
        for (int i = 0; i < decisions.Length; i++)
        {
            var d = p.Decisions[i];
            decisions[i] = new CompiledDecision(d.Node, d.External, (Runtime.ProxyAction)d.Action, [.. d.Eligible], d.Reason);
        }
        return new ServicePortHandle(state, p.Namespace, p.Service, p.PortName, p.Port, p.Protocol, p.NodePort, p.ClusterIP, p.ExternalVip,
            // The plan's keys as they are (a planned port holds them as address and port: a text is made on first use).
            p.Endpoints, p.Weights as int[] ?? [.. p.Weights], p.Scheduler, p.AffinityTimeout, decisions, previous);
    }

    /// <summary>Registers a port.</summary>
    public ServicePortHandle Add(ServicePortHandle handle)
    {
        var key = handle.Namespace + "/" + handle.Service;
        _byService[key] = _byService.TryGetValue(key, out var list) ? [.. list, handle] : [handle];
        _ports = null;
        return handle;
    }

    /// <summary>A port by namespace, service and port name or number; null when there is none.</summary>
    /// <remarks>
    /// A Service's few ports are searched rather than indexed by name: two keys per port ("ns/name/80", "ns/name/http")
    /// were most of the index's memory. Of ports sharing a number (a TCP and a UDP port on 53) the first the Service
    /// declares is found, whether or not the Service changed since the index was built (the name index gave the last).
    /// </remarks>
    public ServicePortHandle? Find(string ns, string service, string port)
    {
        var key = ns + "/" + service;
        if (_changed.Count > 0 && _changed.TryGetValue(key, out var changed))
        {
            if (changed is null) return null;
            foreach (var h in changed)
                if (IsNamed(h, port)) return h;
            return null;
        }
        if (!_byService.TryGetValue(key, out var ports)) return null;
        foreach (var h in ports)
            if (IsNamed(h, port)) return h;
        return null;
    }

    private static bool IsNamed(ServicePortHandle h, string port) => h.PortName == port || h.Port.ToString(CultureInfo.InvariantCulture) == port;

    /// <summary>The ports of one Service (empty when it has none).</summary>
    public IReadOnlyList<ServicePortHandle> PortsOf(string ns, string service)
    {
        var key = ns + "/" + service;
        if (_changed.TryGetValue(key, out var changed)) return changed ?? [];
        return _byService.TryGetValue(key, out var list) ? list : [];
    }

    /// <summary>
    /// The next plane: <paramref name="services"/> (by "ns/name") get the given ports (none: the Service is gone or not
    /// proxied); every other port is this plane's own object. A new port takes over its predecessor's scheduler state
    /// where its endpoints allow (see <see cref="ServicePortHandle"/>). Cost: the changed Services, plus a merge of the
    /// accumulated changes into a fresh index once they are an eighth of the Services (so a change pays a constant
    /// share of a merge, not a share that grows with the cluster).
    /// </summary>
    internal CompiledDataPlane WithServices(IReadOnlyDictionary<string, IReadOnlyList<Model.Planning.PortPlan>> services)
    {
        var changed = _changed;
        foreach (var (key, plans) in services)
        {
            int slash = key.IndexOf('/');
            var before = PortsOf(key.Substring(0, slash), key.Substring(slash + 1));
            var handles = new ServicePortHandle[plans.Count];
            for (int i = 0; i < handles.Length; i++)
            {
                ServicePortHandle? previous = null;
                foreach (var b in before) if (b.Port == plans[i].Port && b.Protocol == plans[i].Protocol) previous = b;
                handles[i] = Handle(State, plans[i], previous);
            }
            changed = changed.SetItem(key, handles.Length == 0 ? null : handles);
        }
        // Lookups check the changed Services first; once there are many, they are merged into a new index.
        if (changed.Count <= Math.Max(512, _byService.Count / 8)) return new CompiledDataPlane(State, _byService, changed);
        var merged = new CompiledDataPlane(State);
        foreach (var (key, handles) in _byService)
            if (!changed.ContainsKey(key)) foreach (var h in handles) merged.Add(h);
        foreach (var handles in changed.Values)
            if (handles is not null) foreach (var h in handles) merged.Add(h);
        return merged;
    }

    private ServicePortHandle[] AllPorts()
    {
        var keys = new SortedSet<string>(_byService.Keys, StringComparer.Ordinal);
        foreach (var k in _changed.Keys) keys.Add(k);
        var all = new List<ServicePortHandle>();
        foreach (var k in keys)
        {
            if (_changed.TryGetValue(k, out var c)) { if (c is not null) all.AddRange(c); }
            else all.AddRange(_byService[k]);
        }
        return all.ToArray();
    }
}

/// <summary>The kubelet's service variables per namespace, planned at build time.</summary>
public static class CompiledEnvironmentFactory
{
    public static CompiledEnvironment FromPlan(IReadOnlyList<Model.Planning.EnvironmentPlan> plans) => CompiledEnvironment.Empty.WithNamespaces(plans);
}

/// <summary>
/// The kubelet's service variables per namespace. A live cluster makes the next one with <see cref="WithNamespaces"/>,
/// which shares every namespace it is not given (a persistent map: a Service change costs its namespace, not the cluster).
/// </summary>
public sealed class CompiledEnvironment
{
    private readonly ImmutableDictionary<string, (KeyValuePair<string, string>[] Links, KeyValuePair<string, string>[] NoLinks)> _byNamespace;
    private readonly KeyValuePair<string, string>[] _masterOnly;

    public CompiledEnvironment(IReadOnlyDictionary<string, (KeyValuePair<string, string>[] Links, KeyValuePair<string, string>[] NoLinks)> byNamespace,
        KeyValuePair<string, string>[] masterOnly)
        : this(byNamespace.ToImmutableDictionary(StringComparer.Ordinal), masterOnly) { }

    internal CompiledEnvironment(ImmutableDictionary<string, (KeyValuePair<string, string>[] Links, KeyValuePair<string, string>[] NoLinks)> byNamespace,
        KeyValuePair<string, string>[] masterOnly)
    {
        _byNamespace = byNamespace;
        _masterOnly = masterOnly;
    }

    /// <summary>No namespace has variables; the master service's are none.</summary>
    internal static readonly CompiledEnvironment Empty = new(ImmutableDictionary.Create<string, (KeyValuePair<string, string>[], KeyValuePair<string, string>[])>(StringComparer.Ordinal), []);

    /// <summary>The variables for a pod in <paramref name="ns"/>; a namespace with no Services gets the master service's alone.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> For(string ns, bool enableServiceLinks = true) =>
        _byNamespace.TryGetValue(ns, out var v) ? (enableServiceLinks ? v.Links : v.NoLinks) : _masterOnly;

    /// <summary>The namespaces with variables of their own.</summary>
    internal IEnumerable<string> Namespaces => _byNamespace.Keys;

    internal bool Has(string ns) => _byNamespace.ContainsKey(ns);

    /// <summary>
    /// The next environment: <paramref name="plans"/> replace their namespaces' variables, every other namespace is this
    /// one's. A plan equal to what a namespace has keeps the old arrays, and when nothing differs this object is returned.
    /// When the master Service's variables change, <paramref name="plans"/> must hold every namespace (each one's
    /// variables without links are the master's).
    /// </summary>
    internal CompiledEnvironment WithNamespaces(IReadOnlyList<Model.Planning.EnvironmentPlan> plans)
    {
        var map = _byNamespace;
        var master = _masterOnly;
        foreach (var e in plans)
        {
            // Without links every namespace gets the master service alone (one array serves them all): any plan says
            // what that is now.
            if (!Same(master, e.WithoutLinks)) master = [.. e.WithoutLinks];
            bool had = _byNamespace.TryGetValue(e.Namespace, out var old);
            var links = had && Same(old.Links, e.WithLinks) ? old.Links : [.. e.WithLinks];
            var noLinks = Same(master, e.WithoutLinks) ? master : [.. e.WithoutLinks];
            if (!had || !ReferenceEquals(links, old.Links) || !ReferenceEquals(noLinks, old.NoLinks)) map = map.SetItem(e.Namespace, (links, noLinks));
        }
        return ReferenceEquals(map, _byNamespace) && ReferenceEquals(master, _masterOnly) ? this : new CompiledEnvironment(map, master);
    }

    private static bool Same(KeyValuePair<string, string>[] have, IReadOnlyList<KeyValuePair<string, string>> plan)
    {
        if (have.Length != plan.Count) return false;
        for (int i = 0; i < have.Length; i++)
            if (!string.Equals(have[i].Key, plan[i].Key, StringComparison.Ordinal) || !string.Equals(have[i].Value, plan[i].Value, StringComparison.Ordinal)) return false;
        return true;
    }
}
