using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using FastPath.Model;
using FastPath.Model.Net;
using FastPath.Runtime;
using FastPath.Runtime.Scheduling;

namespace FastPath.Reference.DataPlane;

/// <summary>The outcome of one new connection: kube-proxy's decision and, when it forwards, the endpoint chosen.</summary>
public sealed record ConnectionChoice(EndpointDecision Decision, string? Endpoint, bool Sticky);

/// <summary>
/// The reference data plane: for each new connection, the endpoints kube-proxy makes eligible (recomputed from the
/// model every time), then IPVS's choice among them: the persistence template for ClientIP affinity (its own plain
/// model, <see cref="PersistenceTemplates"/>, not the runtime's table), else the Service's scheduler. Scheduler state
/// lives per virtual service, as in IPVS.
/// </summary>
public sealed class ReferenceDataPlane
{
    private Cluster _cluster;
    private readonly PersistenceTemplates _templates;
    private readonly ConcurrentDictionary<string, Scheduler> _schedulers = new(StringComparer.Ordinal);

    public ReferenceDataPlane(Cluster cluster, TimeProvider? time = null)
    {
        _cluster = cluster;
        _templates = new PersistenceTemplates(time ?? TimeProvider.System);
    }

    /// <summary>Persistence templates alive now.</summary>
    public int LiveTemplates => _templates.Count;

    /// <summary>Takes a new view of the cluster (endpoints changed); persistence templates are kept, as IPVS keeps them.</summary>
    public void Update(Cluster cluster) => _cluster = cluster;

    public ConnectionChoice Connect(Service svc, ServicePort port, TrafficSource source, IPAddress client)
    {
        var decision = EndpointCategorizer.Decide(_cluster, svc, port, source);
        if (decision.Action != ProxyAction.Forward) return new ConnectionChoice(decision, null, false);
        var keys = decision.Endpoints.Select(e => e.Key).ToList();
        var (vip, vport) = VirtualService(svc, port, source);
        // One scheduler per virtual service and endpoint set: IPVS rebuilds scheduler state when dests change.
        var id = $"{svc.Meta.Key}|{port.Port}/{port.Protocol}|{source.Node}|{source.External}|{string.Join(",", keys)}";
        var scheduler = _schedulers.GetOrAdd(id, _ =>
            Scheduler.Create(ServiceAnnotations.SchedulerOf(svc), decision.Endpoints.Select(e => ServiceAnnotations.WeightOf(svc, e.Ip)).ToArray(), keys));
        var clientKey = IpKey.From(client);
        string? Schedule()
        {
            int pick = scheduler.Pick(clientKey);
            return pick < 0 ? null : keys[pick];
        }
        (string Endpoint, bool Sticky)? chosen;
        if (svc.SessionAffinity == SessionAffinity.ClientIP)
            chosen = _templates.Connect(new PersistenceTemplates.Key(vip, vport, port.Protocol, client), svc.AffinityTimeoutSeconds,
                endpoint => keys.IndexOf(endpoint) is int i && i >= 0 && scheduler.IsAvailable(i), Schedule);
        else chosen = Schedule() is { } picked ? (picked, false) : null;
        return chosen is { } c
            ? new ConnectionChoice(decision, c.Endpoint, c.Sticky)
            : new ConnectionChoice(decision with { Action = ProxyAction.Drop, Reason = "the scheduler has no available destination" }, null, false);
    }

    /// <summary>
    /// The IPVS virtual service the connection arrives at: the ClusterIP from inside; from outside the first load-balancer
    /// VIP or external IP, else the NodePort on the node. Persistence is per virtual service, so per entry point.
    /// </summary>
    private static (string Address, int Port) VirtualService(Service svc, ServicePort port, TrafficSource source)
    {
        if (!source.External) return (IPAddress.Parse(svc.ClusterIPs[0]).ToString(), port.Port);
        var vip = EndpointCategorizer.LoadBalancerVips(svc).Concat(svc.ExternalIPs).FirstOrDefault();
        if (vip is not null && IPAddress.TryParse(vip, out var address)) return (address.ToString(), port.Port);
        return ("node/" + source.Node, port.NodePort);
    }
}
