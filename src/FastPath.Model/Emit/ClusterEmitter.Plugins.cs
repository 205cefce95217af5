using System.Collections.Generic;
using System.Linq;
using FastPath.Model.Planning;

namespace FastPath.Model.Emit;

public static partial class ClusterEmitter
{
    private const string PlanNs = "global::FastPath.Model.Planning.";

    /// <summary>The plan's comment line for rewrite, autopath and hosts.</summary>
    private static void EmitPluginsDescription(SourceWriter w, PluginPlan? plan)
    {
        if (plan is null) return;
        foreach (var c in plan.Chains)
        {
            var parts = new List<string>();
            if (c.Rewrite is not null) parts.Add($"rewrite ({c.Rewrite.Rules.Count} name rule(s), applied to the question in a stack buffer, answer names mapped back)");
            if (c.Autopath is not null) parts.Add($"autopath (the search path of {c.Autopath.Pods.Count} pod address(es), tried in turn, answered behind a CNAME)");
            if (c.Hosts is not null) parts.Add($"hosts ({c.Hosts.Names.Count} name(s), {c.Hosts.Addresses.Count} address(es), looked up before the kubernetes tables)");
            w.CommentLines("  Plugins compiled ahead of the lookup: " + string.Join("; ", parts) + ".");
        }
    }

    /// <summary>
    /// rewrite, autopath and hosts as their plan, written out literally: the run time builds its tables from it with
    /// the same code the live snapshot uses (CompiledPlugins.FromPlan).
    /// </summary>
    private static void EmitPlugins(SourceWriter w, PluginPlan? plan)
    {
        if (plan is null) return;
        w.Line("Plugins = global::FastPath.Compiled.Plugins.CompiledPlugins.FromPlan(new " + PlanNs + "PluginPlan(");
        w.Indent();
        w.Line($"ChainOfRoute: new int[] {{ {string.Join(", ", plan.ChainOfRoute.Select(i => Num(i)))} }},");
        w.Line($"Chains: new {PlanNs}ChainPlan[]");
        w.Line("{");
        w.Indent();
        foreach (var c in plan.Chains)
        {
            w.Line("new(");
            w.Indent();
            EmitRewrite(w, c.Rewrite);
            EmitAutopath(w, c.Autopath);
            EmitHosts(w, c.Hosts);
            w.Outdent();
            w.Line("),");
        }
        w.Outdent();
        w.Line("})),");
        w.Outdent();
    }

    private static void EmitRewrite(SourceWriter w, RewritePlan? r)
    {
        if (r is null) { w.Line("Rewrite: null,"); return; }
        w.Line($"Rewrite: new(new global::FastPath.Model.Corefile.Plugins.RewriteRule[]");
        w.Line("{");
        foreach (var rule in r.Rules)
            w.Line($"    new(Continue: {Bool(rule.Continue)}, Match: global::FastPath.Model.Corefile.Plugins.RewriteMatch.{rule.Match}, " +
                $"From: {SourceWriter.Literal(rule.From)}, To: {SourceWriter.Literal(rule.To)}, AnswerFrom: {Str(rule.AnswerFrom)}, AnswerTo: {Str(rule.AnswerTo)}),");
        w.Line("}),");
    }

    private static void EmitAutopath(SourceWriter w, AutopathPlan? a)
    {
        if (a is null) { w.Line("Autopath: null,"); return; }
        w.Line($"Autopath: new(Zones: {Strings(a.Zones)}, KubernetesZones: {Strings(a.KubernetesZones)}, Pods: new {PlanNs}PodAddress[]");
        w.Line("{");
        foreach (var p in a.Pods) w.Line($"    new({SourceWriter.Literal(p.Address)}, {SourceWriter.Literal(p.Namespace)}),");
        w.Line("}),");
    }

    private static void EmitHosts(SourceWriter w, HostsPlan? h)
    {
        if (h is null) { w.Line("Hosts: null"); return; }
        w.Line($"Hosts: new(Zones: {Strings(h.Zones)}, Ttl: {Num(h.Ttl)}u, NoReverse: {Bool(h.NoReverse)}, " +
            $"Fallthrough: {(h.Fallthrough is null ? "null" : Strings(h.Fallthrough))},");
        w.Line($"    Names: new {PlanNs}HostsName[]");
        w.Line("    {");
        foreach (var n in h.Names) w.Line($"        new({SourceWriter.Literal(n.Name)}, {Strings(n.Addresses)}),");
        w.Line("    },");
        w.Line($"    Addresses: new {PlanNs}HostsAddress[]");
        w.Line("    {");
        foreach (var a in h.Addresses) w.Line($"        new({SourceWriter.Literal(a.Address)}, {Strings(a.Names)}),");
        w.Line("    })");
    }

    private static string Str(string? s) => s is null ? "null" : SourceWriter.Literal(s);

    private static string Strings(IReadOnlyList<string> list) => $"new string[] {{ {string.Join(", ", list.Select(SourceWriter.Literal))} }}";
}
