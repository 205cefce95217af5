using System;
using System.Collections.Generic;
using FastPath.Model.Corefile;
using FastPath.Model.Tables;

namespace FastPath.Model.Planning;

/// <summary>
/// A big cluster's names are planned by two planners at once, on two threads, each with its own answer store; the
/// second's entries and answers are then appended to the first's. Every name gets the answers one planner would give
/// it; the tables differ only in that an answer both planners made is stored twice. Whether a cluster is split depends
/// on its size alone, never on the machine's cores, so the generator's output stays the same everywhere.
/// </summary>
public sealed partial class DnsPlanner
{
    /// <summary>
    /// Below this many names (about 700 Services with ten endpoints each) one planner does it all: a second one's store,
    /// thread and append are not worth it there. A judgement, not a measured crossover: only 10,000 Services were timed.
    /// </summary>
    internal const int SplitFromNames = 20_000;

    /// <summary>A place in the sequence of candidate names: a zone (by index) and, in it, a Service (by index).</summary>
    internal readonly record struct NamePosition(int Zone, int Service)
    {
        public static NamePosition Start => new(0, 0);
        public static NamePosition End => new(int.MaxValue, 0);
    }

    /// <summary>Where <see cref="Plan(Cluster, IReadOnlyList{System.Net.IPAddress}?, int)"/> splits the cluster's names, or null (for tests).</summary>
    internal static NamePosition? SplitPointOf(Cluster cluster, int splitFrom)
    {
        var p = cluster.Corefile.KubernetesBlock?.Plugins;
        if (p is null) return null;
        return new DnsPlanner(cluster, p.Kubernetes!, ServerAddresses.Default(cluster), p.LoadBalance is not null, splitFrom).SplitPoint()?.At;
    }

    /// <summary>A planner for the names from a split point on: the first's view, options and addresses, its own store.</summary>
    private DnsPlanner(DnsPlanner first, int names)
    {
        _view = first._view;
        _options = first._options;
        _dnsIps = first._dnsIps;
        _serial = first._serial;
        _ttl = first._ttl;
        _loadBalance = first._loadBalance;
        _splitFrom = int.MaxValue;
        _nameEstimate = Math.Max(64, names);
        _store = StoreFor(_nameEstimate);
        _sets = new SetTable(_nameEstimate);
        _addresses = new Dictionary<string, byte[]?>(_nameEstimate / 2, StringComparer.Ordinal);
    }

    /// <summary>The second planner's part: its entries, each with a set id in its own tables.</summary>
    private List<PlanEntry> PlanNames(NamePosition from, NamePosition to)
    {
        var entries = new List<PlanEntry>(_nameEstimate);
        PlanNames(from, to, entries, NameSet(_nameEstimate));
        return entries;
    }

    /// <summary>
    /// Where a second planner should take over, and how many names come before it: inside the first forward zone, at
    /// the Service where about half the work is done (a reverse name costs about two thirds of a forward one: timed
    /// at 10,000 Services, the second planner, which takes every reverse name, finished 7-30 % after the first when
    /// the weights were 2 to 1). Null when the cluster is small (see <see cref="SplitFromNames"/>) or no cut splits it.
    /// </summary>
    private (NamePosition At, int NamesBefore)? SplitPoint()
    {
        if (_nameEstimate < _splitFrom) return null;
        int forward = -1;
        for (int zi = 0; zi < _options.Zones.Count && forward < 0; zi++)
            if (!ZoneName.IsReverse(_options.Zones[zi])) forward = zi;
        if (forward < 0) return null;
        var services = _view.Cluster.Services;
        var forwardCost = new long[services.Count];
        long total = 0;
        for (int i = 0; i < services.Count; i++)
        {
            var s = services[i];
            long ready = 0;
            foreach (var sl in _view.SlicesOf(s)) ready += sl.Ready.Length;
            forwardCost[i] = 3 * (2 + 2 * (s.Ports.Count + 1) + ready);
            total += forwardCost[i] + 2 * (s.ClusterIPs.Count + ready); // and one reverse name per address
        }
        long done = 0, names = 0;
        for (int i = 0; i < services.Count - 1; i++)
        {
            done += forwardCost[i];
            names += forwardCost[i] / 3;
            if (done * 2 >= total) return (new NamePosition(forward, i + 1), (int)Math.Min(names, _nameEstimate));
        }
        return null;
    }

    /// <summary>
    /// Appends <paramref name="second"/>'s answers, answer sets and entries to this planner's. No name is planned on
    /// both sides of the cut, so the entries are appended unchecked (looking each name up again was a tenth of the
    /// join, on the one thread that runs it): the cut is between two Services of one zone, a name is planned only in
    /// the zone that owns it, and every name made from a Service ends in its name.namespace.svc labels. The split
    /// tests compare the joined entries with one planner's, name by name.
    /// </summary>
    private void Join(DnsPlanner second, List<PlanEntry> theirs, List<PlanEntry> entries)
    {
        int answers = _store.Append(second._store);
        var ids = new int[_ids.Length];
        var sets = new int[second._sets.Count];
        for (int set = 0; set < sets.Length; set++)
        {
            second._sets.Read(set, ids);
            for (int k = 0; k < ids.Length; k++) ids[k] += answers;
            sets[set] = _sets.Add(ids);
        }
        foreach (var e in theirs) entries.Add(e.WithSet(sets[e.Set]));
    }
}
