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
    private readonly ByteKeyTable _clients;
    private readonly int[] _namespaceOfClient;
    /// <summary>Per namespace, per kubernetes zone: the four suffixes of the search path, the last the root alone.</summary>
    private readonly byte[][][][] _search;

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
        _clients = new ByteKeyTable(clients);
        _search = new byte[namespaces.Count][][][];
        for (int n = 0; n < namespaces.Count; n++)
        {
            _search[n] = new byte[plan.KubernetesZones.Count][][];
            for (int z = 0; z < plan.KubernetesZones.Count; z++)
            {
                var zone = plan.KubernetesZones[z];
                var rooted = zone == "." ? "" : zone;
                _search[n][z] = [WireNames.Of(namespaces[n] + ".svc." + rooted), WireNames.Of("svc." + rooted), WireNames.Of(zone), [0]];
            }
        }
    }

    private static byte[][] Wire(IReadOnlyList<string> names)
    {
        var result = new byte[names.Count][];
        for (int i = 0; i < names.Count; i++) result[i] = WireNames.Of(names[i]);
        return result;
    }

    /// <summary>
    /// The search path for this name and client (address bytes, 4 or 16), or null when autopath does not apply: the
    /// name outside autopath's zones or every kubernetes zone, an unknown client, or a name not strictly under the
    /// client's <c>NS.svc.ZONE</c>. <paramref name="baseLength"/> is the length of the labels before that suffix;
    /// <paramref name="starts"/> are the name's <see cref="LabelStarts"/>.
    /// </summary>
    public byte[][]? SearchPath(ReadOnlySpan<byte> qname, in LabelStarts starts, ReadOnlySpan<byte> client, out int baseLength)
    {
        baseLength = 0;
        if (client.IsEmpty || !starts.EndsInAny(qname, _zones)) return null;
        int zone = -1;
        for (int i = 0; i < _kubernetesZones.Length; i++)
            if ((zone < 0 || _kubernetesZones[i].Length > _kubernetesZones[zone].Length) && starts.EndsIn(qname, _kubernetesZones[i])) zone = i;
        if (zone < 0) return null;
        int pod = _clients.Find(client);
        if (pod < 0) return null;
        var search = _search[_namespaceOfClient[pod]][zone];
        if (qname.Length <= search[0].Length || !starts.EndsIn(qname, search[0])) return null;
        baseLength = qname.Length - search[0].Length;
        return search;
    }

}
