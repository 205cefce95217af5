using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using FastPath.Compiled;
using FastPath.Model;
using FastPath.Model.Planning;
using FastPath.Model.Tables;
using FastPath.Runtime.Affinity;

namespace FastPath.Live;

/// <summary>
/// One immutable state of a cluster's Service networking: DNS answers, kube-proxy's choices and the kubelet's
/// variables, built in memory from the same planner and table format the source generator embeds (no C# emitted, no
/// Roslyn). Readers take the current snapshot with one volatile read (<see cref="IClusterSnapshotSource.Current"/>)
/// and keep using it while newer ones are published.
/// </summary>
public sealed class ClusterSnapshot
{
    private readonly Lazy<Cluster?> _cluster;

    public ClusterSnapshot(long version, CompiledDns dns, CompiledDataPlane dataPlane, CompiledEnvironment environment,
        Cluster? cluster, DateTimeOffset createdAt)
        : this(version, dns, dataPlane, environment, new Lazy<Cluster?>(cluster), createdAt) { }

    /// <summary>A snapshot whose model is assembled only if someone asks for it (a live update does not build one).</summary>
    internal ClusterSnapshot(long version, CompiledDns dns, CompiledDataPlane dataPlane, CompiledEnvironment environment,
        Lazy<Cluster?> cluster, DateTimeOffset createdAt)
    {
        Version = version;
        Dns = dns;
        DataPlane = dataPlane;
        Environment = environment;
        _cluster = cluster;
        CreatedAt = createdAt;
    }

    /// <summary>Increases by one with every published snapshot of a source.</summary>
    public long Version { get; }
    public CompiledDns Dns { get; }
    public CompiledDataPlane DataPlane { get; }
    public CompiledEnvironment Environment { get; }
    /// <summary>
    /// The model the snapshot was built from; null for a cluster compiled at build time. A snapshot made by an
    /// incremental update of a <see cref="LiveCluster"/> assembles it on first read from the objects then current: the
    /// same as this snapshot's unless a later change has been applied since (then the newer state's).
    /// </summary>
    public Cluster? Cluster => _cluster.Value;
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Builds every table of <paramref name="cluster"/> in memory, as the generated code would embed them.</summary>
    public static ClusterSnapshot Build(Cluster cluster, IReadOnlyList<IPAddress>? dnsIps = null, long version = 1, TimeProvider? time = null)
    {
        // The data plane and the environment read the same immutable model as the DNS planner: planned beside it.
        var rest = Task.Run(() => (CompiledDataPlane.FromPlan(DataPlanePlanner.Plan(cluster)), CompiledEnvironmentFactory.FromPlan(EnvironmentPlanner.Plan(cluster))));
        var plan = DnsPlanner.Plan(cluster, dnsIps);
        var dns = DnsOf(Exact(SnapshotTables.Build(plan), plan), plan);
        var (plane, environment) = rest.GetAwaiter().GetResult();
        return new ClusterSnapshot(version, dns, plane, environment, cluster, (time ?? TimeProvider.System).GetUtcNow());
    }

    /// <summary>
    /// Only the DNS tables of <paramref name="cluster"/>: what a DNS server reads (<c>fastpath serve</c>). The data plane
    /// and the environment are empty and <see cref="Cluster"/> is null, so neither the model nor kube-proxy's and the
    /// kubelet's tables stay resident, and their planners do not run at start.
    /// </summary>
    public static ClusterSnapshot BuildDns(Cluster cluster, IReadOnlyList<IPAddress>? dnsIps = null, long version = 1, TimeProvider? time = null)
    {
        var plan = DnsPlanner.Plan(cluster, dnsIps);
        var dns = DnsOf(Exact(SnapshotTables.Build(plan), plan), plan);
        // The smallest persistence table: no Service is in this plane, so no affinity template is ever stored.
        var plane = new CompiledDataPlane(new AffinityState(PersistenceTable.ProbeWindow, null));
        return new ClusterSnapshot(version, dns, plane, CompiledEnvironment.Empty, (Cluster?)null, (time ?? TimeProvider.System).GetUtcNow());
    }

    /// <summary>
    /// The tables with the answer store's buffers cut to what the plan used. They grow by doubling from an estimate, so
    /// about half of each is an unused tail (19 of 40 MB at 10,000 Services); a live table appends there, but nothing
    /// appends to a snapshot built whole, which would otherwise hold the tails for as long as it lives.
    /// </summary>
    private static LiveDnsTable.Tables Exact(LiveDnsTable.Tables t, DnsPlan plan) => t with
    {
        Sets = plan.Sets.ToArray(),
        Answers = plan.Store.Rows(),
        AnswerData = plan.Store.Data(),
        RecordOffsets = plan.Store.Offsets(),
        Fixups = plan.Store.Fixups(),
    };

    /// <summary>The DNS engine over one state of the tables.</summary>
    internal static CompiledDns DnsOf(LiveDnsTable.Tables t, DnsPlan plan) => new(new CompiledDnsData
    {
        Keys = t.Keys,
        Sets = t.Sets,
        Answers = t.Answers,
        AnswerData = t.AnswerData,
        RecordOffsets = t.RecordOffsets,
        Fixups = t.Fixups,
        DottedKeys = t.DottedKeys,
        Index = t.Index,
        Zones = plan.Zones.Select(z => new CompiledZone(WireEncoder.Name(z.Name), Math.Min(z.Ttl, 300), z.Serial, z.Ttl, z.IsReverse)).ToArray(),
        Routes = plan.Routes.Select(r => new CompiledRoute(WireEncoder.Name(r.Zone), r.Kind, r.Upstreams, WireEncoder.Name(r.ForwardFrom),
            r.Except.Select(WireEncoder.Name).ToArray(), r.LoadBalance, r.Kubernetes)).ToArray(),
        Fallthrough = plan.Fallthrough.Select(WireEncoder.Name).ToArray(),
        PodMode = plan.PodMode,
        Plugins = plan.Plugins is null ? null : Compiled.Plugins.CompiledPlugins.FromPlan(plan.Plugins),
    });
}
