using System.Collections.Generic;
using FastPath.Model.Corefile.Plugins;
using FastPath.Model.Tables;

namespace FastPath.Model.Planning;

/// <summary>How a name inside a precomputed answer is written.</summary>
public enum NameKind
{
    /// <summary>The question's name, exactly as asked (a pointer to offset 12).</summary>
    QName,
    /// <summary>Labels, then the zone as the question spells it (a pointer into the question).</summary>
    ZoneRelative,
    /// <summary>A fixed name, written out.</summary>
    Literal,
}

/// <summary>A name in a planned record: the question, a prefix before the question's zone, or a literal.</summary>
public sealed record NameRef(NameKind Kind, string Text)
{
    public static readonly NameRef QName = new(NameKind.QName, "");
    /// <summary>The zone itself, and the SOA's two names under it.</summary>
    public static readonly NameRef Zone = new(NameKind.ZoneRelative, ""), NsDns = new(NameKind.ZoneRelative, "ns.dns"), Hostmaster = new(NameKind.ZoneRelative, "hostmaster");
    public static NameRef InZone(string prefix) => new(NameKind.ZoneRelative, prefix);
    public static NameRef Literal(string fqdn) => new(NameKind.Literal, fqdn);

    public override string ToString() => Kind switch { NameKind.QName => "<qname>", NameKind.ZoneRelative => Text + (Text.Length > 0 ? "." : "") + "<zone>", _ => Text };
}

/// <summary>Record types the planner writes.</summary>
public enum PlanType : ushort { A = 1, NS = 2, CNAME = 5, SOA = 6, PTR = 12, TXT = 16, AAAA = 28, SRV = 33 }

/// <summary>
/// One name the cluster answers: its answer set (in the plan's <see cref="SetTable"/>: per question class, by
/// <see cref="QueryTypeGroup"/> value, the id of its answer in the plan's <see cref="AnswerStore"/>), and where it came from.
/// </summary>
/// <remarks>
/// A struct: a full build plans one per name (274,000 at 10,000 Services) and keeps them until its tables are written,
/// so as objects they were copied by every collection in between; in the entry list's one array they are not.
/// </remarks>
public readonly struct PlanEntry(string name, int zone, EntryFlags flags, int set, string source, string? endpoint = null)
{
    private readonly string _source = source;
    private readonly string? _endpoint = endpoint;

    public string Name { get; } = name;
    public int Zone { get; } = zone;
    public EntryFlags Flags { get; } = flags;
    /// <summary>The id of the name's answer set: set as the name is planned, so no array of answer ids is made per name.</summary>
    public int Set { get; } = set;
    /// <summary>The object the name comes from (and the endpoint's address for an endpoint name), written when read.</summary>
    public string Source => _endpoint is null ? _source : _source + " endpoint " + _endpoint;

    /// <summary>The same entry with another answer set: a split build renumbers the second planner's sets once.</summary>
    internal PlanEntry WithSet(int set) => new(Name, Zone, Flags, set, _source, _endpoint);
}

/// <summary>A zone the kubernetes plugin is authoritative for.</summary>
public sealed record PlanZone(string Name, bool IsReverse, uint Ttl, uint Serial, bool FallsThrough);

/// <summary>Where a name outside the compiled zones goes.</summary>
public enum RouteKind { Refused, Forward, ServFail }

/// <summary>A server block's zone and what happens to names under it that the kubernetes plugin does not answer.</summary>
public sealed record PlanRoute(string Zone, RouteKind Kind, IReadOnlyList<string> Upstreams, string ForwardFrom, IReadOnlyList<string> Except,
    bool LoadBalance, bool Kubernetes);

/// <summary>Everything the emitter needs for one cluster's DNS: entries, zones, routes and the run-time rules.</summary>
public sealed record DnsPlan(
    IReadOnlyList<PlanZone> Zones,
    IReadOnlyList<PlanEntry> Entries,
    IReadOnlyList<PlanRoute> Routes,
    PodMode PodMode,
    bool LoadBalance,
    IReadOnlyList<string> ExposedNamespaces,
    IReadOnlyList<string> Fallthrough,
    AnswerStore Store,
    SetTable Sets)
{
    /// <summary>rewrite, autopath and hosts, compiled ahead of the lookup; null when no server block uses them.</summary>
    public PluginPlan? Plugins { get; init; }
}
