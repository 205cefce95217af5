using System;
using System.Collections.Generic;
using System.Net;
using FastPath.Model.Planning;

namespace FastPath.Compiled.Plugins;

/// <summary>
/// autopath @kubernetes compiled: the client's address finds its pod's namespace in a table made from the pods, and
/// the search path <c>NS.svc.ZONE, svc.ZONE, ZONE, (bare)</c> is precomputed per namespace and zone as wire suffixes
/// (plugin/kubernetes/autopath.go AutoPath). It applies to names under the client's own <c>NS.svc.ZONE</c> only.
/// </summary>
internal sealed class AutopathTable
{
    private readonly byte[][] _zones, _kubernetesZones;
    private readonly ClientTable _clients;
    private readonly int[] _namespaceOfClient;
    /// <summary>Per namespace, per kubernetes zone (at <c>namespace * zones + zone</c>): the search path.</summary>
    private readonly SearchList[] _search;

    public AutopathTable(AutopathPlan plan)
    {
        _zones = Wire(plan.Zones);
        _kubernetesZones = Wire(plan.KubernetesZones);
        var namespaces = new List<string>();
        var clients = new List<byte[]>();
        _namespaceOfClient = new int[plan.Pods.Count];
        for (int i = 0; i < plan.Pods.Count; i++)
        {
            clients.Add(IPAddress.Parse(plan.Pods[i].Address).GetAddressBytes());
            int ns = namespaces.IndexOf(plan.Pods[i].Namespace);
            if (ns < 0) { ns = namespaces.Count; namespaces.Add(plan.Pods[i].Namespace); }
            _namespaceOfClient[i] = ns;
        }
        _clients = new ClientTable(clients);
        _search = new SearchList[namespaces.Count * _kubernetesZones.Length];
        for (int n = 0; n < namespaces.Count; n++)
            for (int z = 0; z < _kubernetesZones.Length; z++)
            {
                var zone = plan.KubernetesZones[z];
                var rooted = zone == "." ? "" : zone;
                byte[][] suffixes = [WireNames.Of(namespaces[n] + ".svc." + rooted), WireNames.Of("svc." + rooted), WireNames.Of(zone), [0]];
                _search[n * _kubernetesZones.Length + z] = new SearchList(suffixes, Settles(suffixes[0], z));
            }
    }

    private static byte[][] Wire(IReadOnlyList<string> names)
    {
        var result = new byte[names.Count][];
        for (int i = 0; i < names.Count; i++) result[i] = WireNames.Of(names[i]);
        return result;
    }

    /// <summary>
    /// Whether a name's ending in <paramref name="first"/> (the search path's first suffix in kubernetes zone
    /// <paramref name="zone"/>) settles the rest of <see cref="SearchPath"/>'s question: some autopath zone no
    /// longer than the suffix holds it, <paramref name="zone"/> is the longest kubernetes zone holding it (the first
    /// of that length), and no kubernetes zone lies under it (a longer zone could then hold the name through its base).
    /// </summary>
    private bool Settles(byte[] first, int zone)
    {
        var starts = LabelStarts.Of(first);
        bool inAutopath = false;
        foreach (var a in _zones) inAutopath |= a.Length <= first.Length && (a.Length == 1 || starts.EndsIn(first, a));
        if (!inAutopath) return false;
        for (int i = 0; i < _kubernetesZones.Length; i++)
        {
            var k = _kubernetesZones[i];
            if (k.Length > first.Length)
            {
                if (NameCompare.EqualsIgnoreCase(k.AsSpan(k.Length - first.Length), first)) return false;
            }
            else if (i != zone && starts.EndsIn(first, k) && (k.Length > _kubernetesZones[zone].Length || (k.Length == _kubernetesZones[zone].Length && i < zone)))
                return false;
        }
        return true;
    }

    /// <summary>
    /// The search path for this name and client (address bytes, 4 or 16), or null when autopath does not apply: the
    /// name outside autopath's zones or every kubernetes zone, an unknown client, or a name not strictly under the
    /// client's <c>NS.svc.ZONE</c>. <paramref name="baseLength"/> is the length of the labels before that suffix, and
    /// <paramref name="baseStarts"/> their <see cref="LabelStarts"/>: the client's namespace is looked up first, so
    /// only the base is walked (the suffix is compared as bytes), not every label of the name.
    /// </summary>
    public SearchList? SearchPath(ReadOnlySpan<byte> qname, ReadOnlySpan<byte> client, out int baseLength, out LabelStarts baseStarts)
    {
        baseLength = 0;
        baseStarts = default;
        if (client.IsEmpty) return null;
        int pod = _clients.Find(client);
        if (pod < 0) return null;
        int row = _namespaceOfClient[pod] * _kubernetesZones.Length;
        for (int z = 0; z < _kubernetesZones.Length; z++)
        {
            var search = _search[row + z];
            var first = search.Suffixes[0];
            int at = qname.Length - first.Length;
            if (at <= 0 || !NameCompare.EqualsIgnoreCaseShort(qname.Slice(at), first) || !LabelStarts.OfBase(qname, at, out baseStarts)) continue;
            if (!search.Settled) return Walked(qname, row, out baseLength, out baseStarts);
            baseLength = at;
            return search;
        }
        return null;
    }

    /// <summary><see cref="SearchPath"/> by the general road: every label walked, the zones looked for one by one.</summary>
    private SearchList? Walked(ReadOnlySpan<byte> qname, int row, out int baseLength, out LabelStarts starts)
    {
        baseLength = 0;
        starts = LabelStarts.Of(qname);
        if (!starts.EndsInAny(qname, _zones)) return null;
        int zone = -1;
        for (int i = 0; i < _kubernetesZones.Length; i++)
            if ((zone < 0 || _kubernetesZones[i].Length > _kubernetesZones[zone].Length) && starts.EndsIn(qname, _kubernetesZones[i])) zone = i;
        if (zone < 0) return null;
        var search = _search[row + zone];
        var first = search.Suffixes[0];
        if (qname.Length <= first.Length || !starts.EndsIn(qname, first)) return null;
        baseLength = qname.Length - first.Length;
        LabelStarts.OfBase(qname, baseLength, out starts); // the base's alone: a try puts another suffix after it
        return search;
    }
}

/// <summary>
/// A client's search path in one zone: the four wire suffixes (the last the root alone) and their
/// <see cref="LabelStarts"/>, so a try's starts are its base's and its suffix's put together, never walked.
/// </summary>
internal sealed class SearchList
{
    public SearchList(byte[][] suffixes, bool settled)
    {
        Suffixes = suffixes;
        Starts = new LabelStarts[suffixes.Length];
        for (int i = 0; i < suffixes.Length; i++) Starts[i] = LabelStarts.Of(suffixes[i]);
        Settled = settled;
    }

    public byte[][] Suffixes { get; }

    public LabelStarts[] Starts { get; }

    /// <summary>Whether a name under the first suffix is surely under this path (<c>AutopathTable.Settles</c>).</summary>
    public bool Settled { get; }
}
