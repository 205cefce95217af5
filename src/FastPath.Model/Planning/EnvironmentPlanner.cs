using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace FastPath.Model.Planning;

/// <summary>The kubelet's service variables for every namespace, planned at build time (envvars.go FromServices).</summary>
public static class EnvironmentPlanner
{
    public static IReadOnlyList<EnvironmentPlan> Plan(Cluster cluster)
    {
        var namespaces = cluster.Namespaces.Append("default").Distinct().OrderBy(n => n, StringComparer.Ordinal);
        return namespaces.Select(ns => new EnvironmentPlan(ns, For(cluster, ns, true), For(cluster, ns, false))).ToList();
    }

    /// <summary>One namespace's variables, from the master Service (default/kubernetes) and the namespace's own Services.</summary>
    public static EnvironmentPlan PlanNamespace(string ns, Service? master, IEnumerable<Service> servicesInNamespace)
    {
        var own = servicesInNamespace.ToList();
        return new EnvironmentPlan(ns, For(master, own, true), For(master, own, false));
    }

    /// <summary>
    /// Whether two states of one Service (null: absent) give the same variables, so that replacing one with the other
    /// leaves every namespace's variables as they are (a change of endpoints, labels or selector does).
    /// </summary>
    public static bool SameVariables(Service? before, Service? after)
    {
        if (before is null || !before.IsProxied) return after is null || !after.IsProxied;
        if (after is null || !after.IsProxied || before.Name != after.Name || before.ClusterIPs[0] != after.ClusterIPs[0] || before.Ports.Count != after.Ports.Count)
            return false;
        for (int i = 0; i < before.Ports.Count; i++)
        {
            ServicePort a = before.Ports[i], b = after.Ports[i];
            if (a.Port != b.Port || a.Protocol != b.Protocol || (a.Name ?? "") != (b.Name ?? "")) return false;
        }
        return true;
    }

    private static List<KeyValuePair<string, string>> For(Cluster c, string ns, bool links) =>
        For(c.FindService("default", "kubernetes"), links ? c.Services.Where(s => s.Namespace == ns) : [], links);

    private static List<KeyValuePair<string, string>> For(Service? master, IEnumerable<Service> own, bool links)
    {
        var chosen = new SortedDictionary<string, Service>(StringComparer.Ordinal);
        if (master is not null && master.IsProxied) chosen["kubernetes"] = master;
        if (links)
            foreach (var s in own.Where(s => s.IsProxied)) chosen[s.Name] = s; // the pod's own namespace wins
        var vars = new List<KeyValuePair<string, string>>();
        foreach (var s in chosen.Values) Add(vars, s);
        return vars;
    }

    private static void Add(List<KeyValuePair<string, string>> vars, Service s)
    {
        string P(string n) => n.ToUpperInvariant().Replace('-', '_');
        string prefix = P(s.Name), host = s.ClusterIPs[0];
        vars.Add(new(prefix + "_SERVICE_HOST", host));
        if (s.Ports.Count == 0) return;
        // Each port's number and protocol texts made once: the variables are kept for every Service of the cluster, and
        // a copy per variable was most of their values.
        var numbers = new string[s.Ports.Count];
        for (int i = 0; i < numbers.Length; i++) numbers[i] = s.Ports[i].Port.ToString(CultureInfo.InvariantCulture);
        vars.Add(new(prefix + "_SERVICE_PORT", numbers[0]));
        for (int i = 0; i < numbers.Length; i++)
            if (!string.IsNullOrEmpty(s.Ports[i].Name)) vars.Add(new(prefix + "_SERVICE_PORT_" + P(s.Ports[i].Name!), numbers[i]));
        for (int i = 0; i < numbers.Length; i++)
        {
            var protocol = s.Ports[i].Protocol;
            var lower = Lower(protocol);
            var url = lower + "://" + (host.IndexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + numbers[i];
            if (i == 0) vars.Add(new(prefix + "_PORT", url));
            var pp = prefix + "_PORT_" + numbers[i] + "_" + protocol.ToUpperInvariant();
            vars.Add(new(pp, url));
            vars.Add(new(pp + "_PROTO", lower));
            vars.Add(new(pp + "_PORT", numbers[i]));
            vars.Add(new(pp + "_ADDR", host));
        }
    }

    /// <summary>The protocol in lower case, one shared string for the three Kubernetes knows.</summary>
    private static string Lower(string protocol) => protocol switch
    {
        "TCP" => "tcp",
        "UDP" => "udp",
        "SCTP" => "sctp",
        _ => protocol.ToLowerInvariant(),
    };
}
