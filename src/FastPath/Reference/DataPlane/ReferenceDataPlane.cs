using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using FastPath.Model;
using FastPath.Model.Net;
using FastPath.Runtime;
using FastPath.Runtime.Affinity;
using FastPath.Runtime.Scheduling;

namespace FastPath.Reference.DataPlane;

/// <summary>The outcome of one new connection: kube-proxy's decision and, when it forwards, the endpoint chosen.</summary>
public sealed record ConnectionChoice(EndpointDecision Decision, string? Endpoint, bool Sticky);

/// <summary>
/// The reference data plane: for each new connection, the endpoints kube-proxy makes eligible (recomputed from the
/// model every time), then IPVS's choice among them: the persistence template for ClientIP affinity, else the
/// Service's scheduler. Scheduler state lives per virtual service, as in IPVS.
/// </summary>
public sealed class ReferenceDataPlane
{
    private Cluster _cluster;
    private readonly PersistenceTable _table;
    private readonly ConcurrentDictionary<string, BackendSelector> _selectors = new(StringComparer.Ordinal);

    public ReferenceDataPlane(Cluster cluster, TimeProvider? time = null, int persistenceCapacity = 1 << 16)
    {
        _cluster = cluster;
        _table = new PersistenceTable(persistenceCapacity, time);
    }

    public PersistenceTable Persistence => _table;

    /// <summary>Takes a new view of the cluster (endpoints changed); persistence templates are kept, as IPVS keeps them.</summary>
    public void Update(Cluster cluster) => _cluster = cluster;

    public ConnectionChoice Connect(Service svc, ServicePort port, TrafficSource source, IPAddress client)
    {
        var decision = EndpointCategorizer.Decide(_cluster, svc, port, source);
        if (decision.Action != ProxyAction.Forward) return new ConnectionChoice(decision, null, false);
        var keys = decision.Endpoints.Select(e => e.Key).ToList();
        var (vip, vport) = VirtualService(svc, port, source);
        // One selector per virtual service and endpoint set: IPVS rebuilds scheduler state when dests change.
        var id = $"{svc.Meta.Key}|{port.Port}/{port.Protocol}|{source.Node}|{source.External}|{string.Join(",", keys)}";
        var selector = _selectors.GetOrAdd(id, _ =>
        {
            var weights = decision.Endpoints.Select(e => ServiceAnnotations.WeightOf(svc, e.Ip)).ToArray();
            var scheduler = Scheduler.Create(ServiceAnnotations.SchedulerOf(svc), weights, keys);
            var affinity = svc.SessionAffinity == SessionAffinity.ClientIP
                ? new AffinitySettings(_table, vip, (ushort)vport, PersistenceKey.ProtocolNumber(port.Protocol), svc.AffinityTimeoutSeconds)
                : null;
            return new BackendSelector(keys, scheduler, affinity);
        });
        var pick = selector.Select(IpKey.From(client));
        return pick.Found
            ? new ConnectionChoice(decision, keys[pick.Index], pick.Sticky)
            : new ConnectionChoice(decision with { Action = ProxyAction.Drop, Reason = "the scheduler has no available destination" }, null, false);
    }

    private static (UInt128 Address, int Port) VirtualService(Service svc, ServicePort port, TrafficSource source) =>
        VirtualServiceKey.For(svc.ClusterIPs[0], port.Port, source.External,
            EndpointCategorizer.LoadBalancerVips(svc).Concat(svc.ExternalIPs).FirstOrDefault(), port.NodePort, source.Node);
}
