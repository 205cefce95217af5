using System.Collections.Generic;
using System.Net;
using FastPath.Model.Tables;

namespace FastPath.Model.Planning;

/// <summary>
/// Everything planned for one cluster, planned once: the DNS plan and its tables, kube-proxy's choices per service
/// port, the kubelet's variables per namespace. The emitter (build time and run time) and the live snapshot read it;
/// none of them calls a planner itself.
/// </summary>
public sealed class ClusterPlan
{
    private ClusterPlan(Cluster cluster, DnsPlan dns, CompiledLayout dnsTables, IReadOnlyList<PortPlan> ports,
        IReadOnlyList<EnvironmentPlan> environment)
    {
        Cluster = cluster;
        Dns = dns;
        DnsTables = dnsTables;
        Ports = ports;
        Environment = environment;
    }

    public Cluster Cluster { get; }
    public DnsPlan Dns { get; }
    /// <summary>The DNS plan in the run-time byte format (see Tables/FORMAT.md).</summary>
    public CompiledLayout DnsTables { get; }
    public IReadOnlyList<PortPlan> Ports { get; }
    public IReadOnlyList<EnvironmentPlan> Environment { get; }

    /// <param name="dnsIps">The DNS server's own addresses; null for the kube-dns endpoints (as <see cref="DnsPlanner.Plan"/>).</param>
    public static ClusterPlan Build(Cluster cluster, IReadOnlyList<IPAddress>? dnsIps = null)
    {
        var dns = DnsPlanner.Plan(cluster, dnsIps);
        return new ClusterPlan(cluster, dns, CompiledLayout.Build(dns), DataPlanePlanner.Plan(cluster), EnvironmentPlanner.Plan(cluster));
    }
}
