using System;
using System.Collections.Generic;
using FastPath.Model.Tables;
using FastPath.Runtime.Affinity;
using FastPath.Runtime.Scheduling;

namespace FastPath.Runtime;

/// <summary>Client-IP affinity for one virtual service: the shared table, the service part of the key, the timeout.</summary>
public sealed record AffinitySettings(PersistenceTable Table, UInt128 ServiceAddress, ushort Port, byte Protocol, int TimeoutSeconds)
{
    /// <summary>The service's share of every template key's hash (derived from the fields above, so equality is unchanged).</summary>
    internal ulong ServiceHash { get; } = PersistenceKey.ServiceHash(ServiceAddress, Port, Protocol);

    /// <summary>
    /// The endpoint id a live template in <see cref="Table"/> names for <paramref name="client"/> on this virtual service,
    /// re-armed to the full timeout (a new connection uses it); -1 when there is none or it has expired.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public int Lookup(UInt128 client) => Table.Lookup(this, client);
}

/// <summary>The endpoint chosen for a connection, and whether a persistence template chose it.</summary>
public readonly record struct Selection(int Index, bool Sticky)
{
    public static readonly Selection None = new(-1, false);
    public bool Found => Index >= 0;
}

/// <summary>
/// Picks the endpoint for each new connection to one virtual service: the persistence template when ClientIP
/// affinity holds one whose endpoint is still eligible, else the scheduler (and a new template). Nothing on
/// <see cref="Select"/> allocates.
/// </summary>
public sealed class BackendSelector
{
    private readonly Scheduler _scheduler;
    private readonly AffinitySettings? _affinity;
    private readonly int[] _ids;          // stable endpoint ids (hash of ip:port), by index
    private readonly int[] _sortedIds;    // the same ids sorted, with their indexes, to map a template back
    private readonly int[] _sortedIndex;
    private readonly bool _linearSearch;  // at most LinearSearchMax ids, no two alike: _byId finds a template's endpoint
    private readonly EndpointIdIndex _byId;

    public BackendSelector(IReadOnlyList<string> endpointKeys, Scheduler scheduler, AffinitySettings? affinity)
    {
        if (scheduler.Count != endpointKeys.Count) throw new ArgumentException("one scheduler destination per endpoint", nameof(scheduler));
        Endpoints = endpointKeys;
        _scheduler = scheduler;
        _affinity = affinity;
        _ids = new int[endpointKeys.Count];
        for (int i = 0; i < _ids.Length; i++) _ids[i] = EndpointId(endpointKeys[i]);
        _sortedIds = (int[])_ids.Clone();
        _sortedIndex = new int[_ids.Length];
        for (int i = 0; i < _sortedIndex.Length; i++) _sortedIndex[i] = i;
        Array.Sort(_sortedIds, _sortedIndex);
        _linearSearch = _ids.Length <= LinearSearchMax;
        // Two endpoints with one id (a hash collision): keep the binary search's choice between them.
        for (int i = 1; i < _sortedIds.Length && _linearSearch; i++) _linearSearch = _sortedIds[i] != _sortedIds[i - 1];
        if (_linearSearch) _byId = new EndpointIdIndex(_ids);
    }

    public IReadOnlyList<string> Endpoints { get; }
    public Scheduler Scheduler => _scheduler;
    public AffinitySettings? Affinity => _affinity;

    /// <summary>A stable id for "ip:port", so a template outlives the selector that wrote it (endpoint sets change).</summary>
    public static int EndpointId(string key)
    {
        ulong h = 1469598103934665603UL;
        foreach (char c in key) { h ^= c; h *= 1099511628211UL; }
        return (int)SplitMix64.Mix(h) & int.MaxValue;
    }

    public Selection Select(UInt128 client)
    {
        int index = Choose(client, out bool sticky);
        return new Selection(index, sticky);
    }

    /// <summary>
    /// <see cref="Select"/> as the endpoint's index (-1 for none) and whether a template chose it. The per-connection
    /// paths in this assembly call this: a <see cref="Selection"/> returned from a call the JIT does not inline is
    /// assembled on the stack from two narrow stores and read back as one word, a store-forwarding stall on every pick.
    /// Inlined into <see cref="Compiled.ServicePortHandle.SelectIndex"/> (itself inlined into a YARP pick): one call less.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal int Choose(UInt128 client, out bool sticky)
    {
        sticky = false;
        if (_ids.Length == 0) return -1;
        if (_affinity is { } a)
        {
            int id = a.Lookup(client);
            if (id >= 0)
            {
                int at = IndexOfId(id);
                // A template whose endpoint is gone or quiesced is replaced (ip_vs_check_template).
                if (at >= 0 && _scheduler.IsAvailable(at)) { sticky = true; return at; }
            }
            return Schedule(a, client);
        }
        int i = _scheduler.Pick(client);
        return i < 0 ? -1 : i;
    }

    /// <summary>
    /// No live template for the client: the scheduler picks and a new template records it. Out of line, so the
    /// template hit that <see cref="Choose"/> inlines into each pick leaves its caller's registers alone.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private int Schedule(AffinitySettings a, UInt128 client)
    {
        int pick = _scheduler.Pick(client);
        if (pick < 0) return -1;
        a.Table.Set(new PersistenceKey(a.ServiceAddress, a.Port, a.Protocol, client), _ids[pick], a.TimeoutSeconds);
        return pick;
    }

    /// <summary>
    /// The index of the endpoint with stable id <paramref name="id"/>, or -1: up to <see cref="LinearSearchMax"/> distinct
    /// ids through <see cref="EndpointIdIndex"/> (no mispredicted binary search, no call into a generic helper), more
    /// (or a hash collision between two endpoints) by binary search, whose choice between alike ids it keeps.
    /// </summary>
    // Forced inline: a pick's Tier1 code is compiled early, when most connections are new clients (template misses);
    // that profile marks the template hit cold, and the JIT then left this a call, into Tier0 code until it tiered up.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private int IndexOfId(int id) => _linearSearch ? _byId.IndexOf(id) : IndexOfSortedId(id);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private int IndexOfSortedId(int id)
    {
        int at = Array.BinarySearch(_sortedIds, id);
        return at >= 0 ? _sortedIndex[at] : -1;
    }

    private const int LinearSearchMax = 64;
}
