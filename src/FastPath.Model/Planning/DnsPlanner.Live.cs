using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using FastPath.Model.Corefile;
using FastPath.Model.Tables;

namespace FastPath.Model.Planning;

public sealed partial class DnsPlanner
{
    /// <summary>
    /// Plans the cluster and keeps the planner (its view, answer store and SOA serial) for later updates of single
    /// Services; null planner when the cluster has no kubernetes block.
    /// </summary>
    internal static (DnsPlanner? Planner, DnsPlan Plan) PlanForUpdates(Cluster cluster, IReadOnlyList<IPAddress>? dnsIps)
    {
        var block = cluster.Corefile.KubernetesBlock;
        var routes = Routes(cluster.Corefile);
        var plugins = PlanPlugins(cluster, routes);
        if (block is null) return (null, new DnsPlan([], [], routes, 0, false, [], [], new AnswerStore(), new SetTable()) { Plugins = plugins });
        var p = block.Plugins;
        var planner = new DnsPlanner(cluster, p.Kubernetes!, dnsIps ?? ServerAddresses.Default(cluster), p.LoadBalance is not null, SplitFromNames);
        var plan = planner.Build(routes) with { Plugins = plugins };
        foreach (var sl in planner._view.AllSlices) sl.ReleaseNames();
        return (planner, plan);
    }

    internal PlannerView View => _view;
    internal AnswerStore Store => _store;
    internal SetTable Sets => _sets;
    internal IReadOnlyList<IPAddress> ServerIps => _dnsIps;

    /// <summary>The forward names a Service owns in every forward zone (as a full build enumerates them), with their zone.</summary>
    internal List<(Candidate Name, int Zone)> ForwardNames(Service s)
    {
        var result = new List<(Candidate, int)>();
        for (int zi = 0; zi < _options.Zones.Count; zi++)
        {
            var z = _options.Zones[zi];
            if (ZoneName.IsReverse(z)) continue;
            foreach (var c in ServiceNames(s, z))
                if (Owns(z, c.Name)) result.Add((c, zi));
        }
        return result;
    }

    /// <summary>The reverse name of an address and its zone; null when no reverse zone owns it.</summary>
    internal (Candidate Name, int Zone)? ReverseName(string ip)
    {
        if (ReverseNameOf(ip) is not { } name) return null;
        for (int zi = 0; zi < _options.Zones.Count; zi++)
            if (ZoneName.IsReverse(_options.Zones[zi]) && Owns(_options.Zones[zi], name)) return (new Candidate(name, "address " + ip, reverse: true, ip: ip), zi);
        return null;
    }

    /// <summary>Plans one name of a zone against the current view (answers go to the store); null when it has no entry.</summary>
    internal PlanEntry? PlanName(in Candidate c, int zone) => Entry(c, zone, _options.Zones[zone]);

    /// <summary>Whether an ExternalName Service points into a kubernetes zone (its answers follow other Services).</summary>
    internal bool PointsIntoZones(Service s) =>
        s.IsExternalName && s.ExternalName is { } target && LongestZone(Fqdn(target).ToLowerInvariant()) is not null;
}
