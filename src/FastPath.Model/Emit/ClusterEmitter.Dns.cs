using System.Linq;
using FastPath.Model.Planning;
using FastPath.Model.Tables;

namespace FastPath.Model.Emit;

public static partial class ClusterEmitter
{
    private static void EmitDnsAccessors(SourceWriter w, EmitRequest r)
    {
        w.Line("/// <summary>The cluster's DNS, answered from tables planned at build time (see the plan below).</summary>");
        w.Line($"public static global::FastPath.Compiled.CompiledDns Dns => {DataClass}.Dns;");
        w.Line();
    }

    private static void EmitDnsData(SourceWriter w, EmitRequest r, BlobSink blobs)
    {
        var plan = r.Plan;
        var layout = CompiledLayout.Build(plan);
        // Plan: a short description of the dispatch, as the Regex generator's Description block does.
        w.Line("// Plan:");
        w.Line($"//   {plan.Entries.Count} names in {plan.Zones.Count} zone(s) ({string.Join(", ", plan.Zones.Select(z => z.Name))}),");
        w.Line($"//   {layout.AnswerCount} distinct answers in {layout.SetCount} answer sets, precomputed as wire bytes; names point into the question,");
        w.Line("//   so one answer serves every spelling and length (zone pointers are patched as the answer is copied).");
        w.Line($"//   Dispatch: a perfect hash of the case-folded wire name ({layout.Displacements.Length / 4} buckets, {layout.Slots.Length / 4} slots), then one compare.");
        w.Line("//   Names not listed answer by rule: NXDOMAIN with the zone's SOA (NODATA for SOA)" + (plan.PodMode == 1 ? ", pod names from their dashed IP" : "") + ".");
        foreach (var route in plan.Routes)
            w.Line($"//   Zone {route.Zone}: " + route.Kind switch
            {
                RouteKind.Forward => "names the kubernetes plugin does not answer are forwarded to " + string.Join(" ", route.Upstreams),
                RouteKind.ServFail => "names the kubernetes plugin does not answer get SERVFAIL (no plugin after it)",
                _ => "refused",
            });
        if (plan.FallbackReason is not null)
            w.Line($"//   Limited generation: {SourceWriter.Comment(plan.FallbackReason)} is not compiled; the interpreter answers this server block.");
        w.Line("// Names:");
        // Every name with its source, up to a size that keeps large clusters' code small; the rest are summarised.
        const int listed = 2000;
        for (int i = 0; i < plan.Entries.Count && i < listed; i++)
            w.Line($"//   {i}: {plan.Entries[i].Name}  — Source: {SourceWriter.Comment(plan.Entries[i].Source)}");
        if (plan.Entries.Count > listed) w.Line($"//   … and {plan.Entries.Count - listed} more names, in the same order.");
        w.Line();

        w.Line("internal static readonly global::FastPath.Compiled.CompiledDns Dns = new(new global::FastPath.Compiled.CompiledDnsData");
        w.Line("{");
        w.Line($"    Keys = {blobs.Expression(layout.Keys)},");
        w.Line($"    Entries = {blobs.Expression(layout.Entries)},");
        w.Line($"    Sets = {blobs.Expression(layout.Sets)},");
        w.Line($"    Answers = {blobs.Expression(layout.Answers)},");
        w.Line($"    AnswerData = {blobs.Expression(layout.AnswerData)},");
        w.Line($"    RecordOffsets = {blobs.Expression(layout.RecordOffsets)},");
        w.Line($"    Fixups = {blobs.Expression(layout.Fixups)},");
        w.Line($"    Displacements = {blobs.Expression(layout.Displacements)},");
        w.Line($"    Slots = {blobs.Expression(layout.Slots)},");
        w.Line($"    DottedKeys = {blobs.Expression(layout.DottedKeys)},");
        w.Line($"    DottedDisplacements = {blobs.Expression(layout.DottedDisplacements)},");
        w.Line($"    DottedSlots = {blobs.Expression(layout.DottedSlots)},");
        w.Line("    Zones = new global::FastPath.Compiled.CompiledZone[]");
        w.Line("    {");
        foreach (var z in plan.Zones)
            w.Line($"        new(global::FastPath.Model.Tables.WireEncoder.Name({SourceWriter.Literal(z.Name)}), {Num(System.Math.Min(z.Ttl, 300))}, {Num(z.Serial)}, {Num(z.Ttl)}, {Bool(z.IsReverse)}),");
        w.Line("    },");
        w.Line("    Routes = new global::FastPath.Compiled.CompiledRoute[]");
        w.Line("    {");
        foreach (var route in plan.Routes)
        {
            var ups = string.Join(", ", route.Upstreams.Select(SourceWriter.Literal));
            var except = string.Join(", ", route.Except.Select(SourceWriter.Literal));
            w.Line($"        new(global::FastPath.Model.Tables.WireEncoder.Name({SourceWriter.Literal(route.Zone)}), global::FastPath.Model.Planning.RouteKind.{route.Kind}, " +
                   $"new string[] {{ {ups} }}, global::FastPath.Model.Tables.WireEncoder.Name({SourceWriter.Literal(route.ForwardFrom)}), W({except}), {Bool(route.LoadBalance)}, {Bool(route.Kubernetes)}),");
        }
        w.Line("    },");
        w.Line($"    Fallthrough = W({string.Join(", ", plan.Fallthrough.Select(SourceWriter.Literal))}),");
        w.Line($"    PodMode = {Num(plan.PodMode)},");
        if (plan.FallbackReason is not null)
        {
            w.Line($"    FallbackReason = {SourceWriter.Literal(plan.FallbackReason)},");
            w.Line("    LoadCluster = static () => global::FastPath.Model.Loading.ClusterLoader.LoadTexts(new global::FastPath.Model.Loading.ManifestText[]");
            w.Line("    {");
            foreach (var m in r.Manifests)
                w.Line($"        new({SourceWriter.Literal(m.Path)}, {SourceWriter.Literal(m.Text)}),");
            w.Line($"    }}, new global::FastPath.Model.Loading.LoadOptions {{ CorefileText = {(r.CorefileText is null ? "null" : SourceWriter.Literal(r.CorefileText))}, ServiceCidr = {(r.ServiceCidr is null ? "null" : SourceWriter.Literal(r.ServiceCidr))} }}).Cluster!,");
        }
        w.Line("});");
        w.Line();
    }
}
