using System.Linq;
using FastPath.Model.Corefile.Plugins;
using FastPath.Model.Planning;

namespace FastPath.Model.Emit;

public static partial class ClusterEmitter
{
    private static void EmitDnsAccessors(SourceWriter w)
    {
        w.DocSummary("The cluster's DNS, answered from tables planned at build time (see the plan below).");
        w.Line($"public static global::FastPath.Compiled.CompiledDns Dns => {DataClass}.Dns;");
        w.Line();
    }

    private static void EmitDnsData(SourceWriter w, EmitRequest r, TableSink tables)
    {
        var plan = r.Plan.Dns;
        var layout = r.Plan.DnsTables;
        // Plan: a short description of the dispatch, as the Regex generator's Description block does.
        w.Line("// Plan:");
        w.CommentLines($"  {plan.Entries.Count} names in {plan.Zones.Count} zone(s) ({string.Join(", ", plan.Zones.Select(z => z.Name))}), " +
            $"{layout.AnswerCount} distinct answers in {layout.SetCount} answer sets, precomputed as wire bytes; names point into the " +
            "question, so one answer serves every spelling and length (zone pointers are patched as the answer is copied).");
        w.CommentLines($"  Dispatch: a perfect hash of the case-folded wire name ({layout.Displacements.Length / 4} buckets, " +
            $"{layout.Slots.Length / Tables.SlotUnit.Size} slots, each with its key's place), then one compare.");
        w.CommentLines("  Names not listed answer by rule: NXDOMAIN with the zone's SOA (NODATA for SOA)" +
            (plan.PodMode == PodMode.Insecure ? ", pod names from their dashed IP" : "") + ".");
        foreach (var route in plan.Routes)
            w.CommentLines($"  Zone {route.Zone}: " + route.Kind switch
            {
                RouteKind.Forward => "names the kubernetes plugin does not answer are forwarded to " + string.Join(" ", route.Upstreams),
                RouteKind.ServFail => "names the kubernetes plugin does not answer get SERVFAIL (no plugin after it)",
                _ => "refused",
            });
        EmitPluginsDescription(w, plan.Plugins);
        w.Line("// Names (entry: name, then where it comes from):");
        // Every name with its source, up to a size that keeps large clusters' code small; the rest are summarised.
        const int listed = 2000;
        for (int i = 0; i < plan.Entries.Count && i < listed; i++)
            w.CommentLines($"  {i}: {plan.Entries[i].Name}  — Source: {SourceWriter.Comment(plan.Entries[i].Source)}", "        ");
        if (plan.Entries.Count > listed) w.Line($"//   … and {plan.Entries.Count - listed} more names, in the same order.");
        w.Line();

        w.DocSummary("The DNS tables in the run-time byte format (FastPath.Model/Tables/FORMAT.md) and the zones' rules.");
        w.Line("internal static readonly global::FastPath.Compiled.CompiledDns Dns = new(");
        w.Line("    new global::FastPath.Compiled.CompiledDnsData");
        w.Line("    {");
        w.Indent();
        w.Indent();
        w.Line($"Keys = {tables.Expression("Keys", "every name, lower-case DNS wire form, back to back.", layout.Keys, asText: true)},");
        w.Line($"Entries = {tables.Expression("Entries", "12 bytes per name: key offset and length, zone, flags, answer set.", layout.Entries)},");
        w.Line($"Sets = {tables.Expression("Sets", "per answer set, one answer index per query-type group.", layout.Sets)},");
        w.Line($"Answers = {tables.Expression("Answers", "32 bytes per distinct answer: where its bytes are, rcode, AA, section counts, rotating runs, fixups.", layout.Answers)},");
        w.Line($"AnswerData = {tables.Expression("AnswerData", "the answers' sections as wire bytes, names pointing into the question.", layout.AnswerData)},");
        w.Line($"RecordOffsets = {tables.Expression("RecordOffsets", "per answer, where each record starts in its bytes, then their end (i32).", layout.RecordOffsets)},");
        w.Line($"Fixups = {tables.Expression("Fixups", "per answer, offsets of the zone pointers patched per query (i32).", layout.Fixups)},");
        w.Line($"Displacements = {tables.Expression("Displacements", "the perfect hash of the wire names: a displacement per bucket (u32).", layout.Displacements)},");
        w.Line($"Slots = {tables.Expression("Slots", "the perfect hash of the wire names: per slot, entry + 1 (0 when empty), key length and offset (u64).", layout.Slots)},");
        w.Line($"DottedKeys = {tables.Expression("DottedKeys", "every name dotted, at its wire key's offset.", layout.DottedKeys, asText: true)},");
        w.Line($"DottedDisplacements = {tables.Expression("DottedDisplacements", "the perfect hash of the dotted names: displacements.", layout.DottedDisplacements)},");
        w.Line($"DottedSlots = {tables.Expression("DottedSlots", "the perfect hash of the dotted names: slots.", layout.DottedSlots)},");
        w.Line("Zones = new global::FastPath.Compiled.CompiledZone[]");
        w.Line("{");
        foreach (var z in plan.Zones)
        {
            w.Line($"    new(Wire: WireName({SourceWriter.Literal(z.Name)}), SoaTtl: {Num(System.Math.Min(z.Ttl, 300))}, Serial: {Num(z.Serial)},");
            w.Line($"        Minimum: {Num(z.Ttl)}, IsReverse: {Bool(z.IsReverse)}),");
        }
        w.Line("},");
        w.Line("Routes = new global::FastPath.Compiled.CompiledRoute[]");
        w.Line("{");
        foreach (var route in plan.Routes)
        {
            w.Line($"    new(Wire: WireName({SourceWriter.Literal(route.Zone)}), Kind: global::FastPath.Model.Planning.RouteKind.{route.Kind},");
            w.Line($"        Upstreams: new string[] {{ {string.Join(", ", route.Upstreams.Select(SourceWriter.Literal))} }},");
            w.Line($"        ForwardFrom: WireName({SourceWriter.Literal(route.ForwardFrom)}),");
            w.Line($"        Except: WireNames({string.Join(", ", route.Except.Select(SourceWriter.Literal))}),");
            w.Line($"        LoadBalance: {Bool(route.LoadBalance)}, Kubernetes: {Bool(route.Kubernetes)}),");
        }
        w.Line("},");
        w.Line($"Fallthrough = WireNames({string.Join(", ", plan.Fallthrough.Select(SourceWriter.Literal))}),");
        w.Line($"PodMode = global::FastPath.Model.Corefile.Plugins.PodMode.{plan.PodMode},");
        EmitPlugins(w, plan.Plugins);
        w.Outdent();
        w.Outdent();
        w.Line("    });");
        w.Line();
    }
}
