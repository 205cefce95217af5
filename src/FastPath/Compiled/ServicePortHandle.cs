using System;
using System.Collections.Generic;
using System.Net;
using System.Runtime.CompilerServices;
using System.Threading;
using FastPath.Runtime;
using FastPath.Runtime.Affinity;
using FastPath.Runtime.Scheduling;

namespace FastPath.Compiled;

/// <summary>What kube-proxy programs for a port, node and traffic source, decided at build time.</summary>
public sealed record CompiledDecision(string? Node, bool External, ProxyAction Action, int[] Eligible, string Reason);

/// <summary>The endpoint chosen for one new connection (Endpoint null unless Action is Forward).</summary>
public readonly record struct ConnectionSelection(ProxyAction Action, string? Endpoint, bool Sticky);

/// <summary>
/// One service port of a compiled cluster: its endpoints, kube-proxy's decision per node and source (precomputed),
/// and a backend selector per decision built on first use with the runtime's schedulers and the cluster's shared
/// persistence table. <see cref="Select(UInt128, string?, bool)"/> allocates nothing once its selector exists.
/// <para>
/// In a live cluster a port replaced by a new snapshot hands its scheduler state on (IPVS keeps a virtual service's
/// scheduler when kube-proxy edits its real servers): a selector whose eligible endpoints and weights are unchanged is
/// taken over as it is (round-robin position, least-connection counts, Maglev table); otherwise a new scheduler starts
/// with the round-robin position and the connection counts of the endpoints that stay. Persistence templates live in
/// the shared table; one naming an endpoint that is gone or no longer eligible is replaced on its next use
/// (ip_vs_check_template).
/// </para>
/// </summary>
public sealed class ServicePortHandle
{
    private readonly AffinityState _owner;
    private ServicePortHandle? _previous;
    private readonly CompiledDecision[] _decisions;
    // Per-node decisions, null when every node decides as the node-less one (the common case: an empty dictionary each
    // was 160 bytes per port).
    private readonly Dictionary<string, int>? _internal, _external;
    private readonly int _internalDefault, _externalDefault;
    // Null when every endpoint weighs 1 (no weights annotation): an array of ones per port was kept for nothing.
    private readonly int[]? _weights;
    // One selector per node and source: every node's kube-proxy keeps its own scheduler state, even where nodes decide alike.
    // Made on first use: a port's first selection always starts a generation, which replaced an eager one unused.
    private System.Collections.Concurrent.ConcurrentDictionary<(string?, bool), BackendSelector>? _selectors;
    private int _generation = -1;
    private PortSelector? _last;

    public ServicePortHandle(CompiledDataPlane owner, string ns, string service, string? portName, int port, string protocol, int nodePort,
        string clusterIP, string? externalVip, string[] endpoints, int[] weights, string scheduler, int affinityTimeoutSeconds, CompiledDecision[] decisions)
        : this(owner.State, ns, service, portName, port, protocol, nodePort, clusterIP, externalVip, endpoints, weights, scheduler, affinityTimeoutSeconds, decisions, null) { }

    internal ServicePortHandle(AffinityState owner, string ns, string service, string? portName, int port, string protocol, int nodePort,
        string clusterIP, string? externalVip, IReadOnlyList<string> endpoints, int[] weights, string scheduler, int affinityTimeoutSeconds, CompiledDecision[] decisions,
        ServicePortHandle? previous)
    {
        _owner = owner;
        _previous = previous;
        if (previous is not null) previous._previous = null; // one generation back is enough: no chain of old snapshots stays reachable
        Namespace = ns; Service = service; PortName = portName; Port = port; Protocol = protocol; NodePort = nodePort;
        ClusterIP = clusterIP; ExternalVip = externalVip; Endpoints = endpoints; _weights = Array.TrueForAll(weights, w => w == 1) ? null : weights;
        Scheduler = scheduler; AffinityTimeoutSeconds = affinityTimeoutSeconds; _decisions = decisions;
        _internalDefault = _externalDefault = -1;
        for (int i = 0; i < decisions.Length; i++)
        {
            var d = decisions[i];
            if (d.Node is null) { if (d.External) _externalDefault = i; else _internalDefault = i; }
            else if (d.External) (_external ??= new Dictionary<string, int>(StringComparer.Ordinal))[d.Node] = i;
            else (_internal ??= new Dictionary<string, int>(StringComparer.Ordinal))[d.Node] = i;
        }
    }

    public string Namespace { get; }
    public string Service { get; }
    public string? PortName { get; }
    public int Port { get; }
    public string Protocol { get; }
    public int NodePort { get; }
    public string ClusterIP { get; }
    public string? ExternalVip { get; }
    /// <summary>Every endpoint of the port, sorted by "ip:port".</summary>
    public IReadOnlyList<string> Endpoints { get; }
    public string Scheduler { get; }
    /// <summary>ClientIP affinity timeout; 0 without affinity.</summary>
    public int AffinityTimeoutSeconds { get; }

    /// <summary>The decision for traffic from a pod on <paramref name="node"/> (or from outside through it); an unknown node has no local endpoints.</summary>
    public CompiledDecision Decide(string? node = null, bool external = false) => _decisions[IndexOf(node, external)];

    private int IndexOf(string? node, bool external)
    {
        if (node is not null && (external ? _external : _internal) is { } byNode && byNode.TryGetValue(node, out int i)) return i;
        int d = external ? _externalDefault : _internalDefault;
        if (d < 0) return external ? throw new InvalidOperationException($"{Namespace}/{Service} port {Port} is not reachable from outside") : 0;
        return d;
    }

    public ConnectionSelection Select(IPAddress client, string? node = null, bool external = false) => Select(IpKey.From(client), node, external);

    public ConnectionSelection Select(UInt128 client, string? node = null, bool external = false)
    {
        int i = IndexOf(node, external);
        var d = _decisions[i];
        if (d.Action != ProxyAction.Forward) return new ConnectionSelection(d.Action, null, false);
        int endpoint = SelectIndex(client, node, external, out bool sticky);
        return endpoint >= 0 ? new ConnectionSelection(ProxyAction.Forward, Endpoints[endpoint], sticky) : new ConnectionSelection(ProxyAction.Drop, null, false);
    }

    /// <summary>
    /// <see cref="Select(UInt128, string?, bool)"/> as the chosen endpoint's index in <see cref="Endpoints"/>: -1 when
    /// the connection is not forwarded (the decision's action, or no endpoint). A caller that keeps its own state per
    /// endpoint (YARP's destinations) maps the index without comparing strings.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // the check below is what runs per connection: inlined into the caller, one call less
    public int SelectIndex(UInt128 client, string? node, bool external, out bool sticky)
    {
        // A caller asks for the same node and source on every connection: its selector, found last time, is checked by
        // node and generation only, skipping the node and selector dictionaries (a string hash each). The same instance
        // is the usual case and costs one compare; the text is compared only otherwise, so a caller that builds its node
        // string per connection does not write a new PortSelector (an allocation) every time.
        var last = Volatile.Read(ref _last);
        if (last is null || (!ReferenceEquals(last.Node, node) && !string.Equals(last.Node, node)) || last.External != external || !last.IsCurrent)
            return SelectIndexFirst(client, node, external, out sticky);
        int pick = last.Choose(client, out sticky);
        return pick < 0 ? -1 : last.EndpointOf(pick);
    }

    /// <summary>A node or source other than the last, or a reconfigured plane: find (or build) its selector, then remember it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int SelectIndexFirst(UInt128 client, string? node, bool external, out bool sticky)
    {
        sticky = false;
        var selector = SelectorFor(node, external);
        if (selector is null) return -1;
        int pick = selector.Choose(client, out sticky);
        return pick < 0 ? -1 : selector.EndpointOf(pick);
    }

    /// <summary>
    /// The selector that connections from <paramref name="node"/> (or from outside through it, when
    /// <paramref name="external"/>) use now, the one <see cref="SelectIndex"/> picks with; null when the decision
    /// for them is not to forward.
    /// </summary>
    public PortSelector? SelectorFor(string? node, bool external)
    {
        int i = IndexOf(node, external);
        var d = _decisions[i];
        if (d.Action != ProxyAction.Forward) return null;
        int generation = _owner.Generation;
        if (_generation != generation)
        {
            if (_generation >= 0) _previous = null; // Configure: scheduler state is forgotten, inherited state too
            _selectors = new();
            _generation = generation;
        }
        // Another thread may have moved the generation but not yet published its dictionary.
        var selectors = _selectors;
        if (selectors is null)
        {
            Interlocked.CompareExchange(ref _selectors, new(), null);
            selectors = _selectors!;
        }
        if (!selectors.TryGetValue((node, external), out var selector)) selector = selectors.GetOrAdd((node, external), Create(i, node, external));
        var last = new PortSelector(_owner, node, external, generation, selector, d.Eligible);
        Volatile.Write(ref _last, last);
        return last;
    }

    private BackendSelector Create(int i, string? node, bool external)
    {
        var d = _decisions[i];
        var keys = new string[d.Eligible.Length];
        var weights = new int[d.Eligible.Length];
        for (int k = 0; k < keys.Length; k++) { keys[k] = Endpoints[d.Eligible[k]]; weights[k] = _weights?[d.Eligible[k]] ?? 1; }
        AffinitySettings? affinity = null;
        if (AffinityTimeoutSeconds > 0)
        {
            var (vip, vport) = VirtualServiceKey.For(ClusterIP, Port, external, ExternalVip, NodePort, node);
            affinity = new AffinitySettings(_owner.Table, vip, (ushort)vport, PersistenceKey.ProtocolNumber(Protocol), AffinityTimeoutSeconds);
        }
        var inherited = Inherited(node, external);
        if (inherited is not null && inherited.Affinity == affinity && inherited.Scheduler.Count == keys.Length
            && Same(inherited.Endpoints, keys) && inherited.Scheduler.HasWeights(weights))
            return inherited; // nothing it schedules over changed: keep it whole
        var scheduler = Runtime.Scheduling.Scheduler.Create(Scheduler, weights, keys);
        if (inherited is not null && inherited.Scheduler.GetType() == scheduler.GetType()) scheduler.TakeOver(inherited.Scheduler, inherited.Endpoints, keys);
        return new BackendSelector(keys, scheduler, affinity);
    }

    /// <summary>The selector the replaced port had built for the same node and source, if any.</summary>
    private BackendSelector? Inherited(string? node, bool external)
    {
        var p = _previous;
        if (p is null || p._generation != _owner.Generation) return null;
        return p._selectors is { } selectors && selectors.TryGetValue((node, external), out var s) ? s : null;
    }

    private static bool Same(IReadOnlyList<string> a, string[] b)
    {
        if (a.Count != b.Length) return false;
        for (int i = 0; i < b.Length; i++) if (a[i] != b[i]) return false;
        return true;
    }
}
