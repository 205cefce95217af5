using System.Collections.Generic;
using System.Linq;
using FastPath.Model.Tables;

namespace FastPath.Model.Emit;

public static partial class ClusterEmitter
{
    /// <summary>Member names of the generated class that typed accessors must not take.</summary>
    private static readonly HashSet<string> Reserved = new(System.StringComparer.Ordinal) { "Dns", "DataPlane", "Environment", DataClass };

    private static void EmitDataPlane(SourceWriter w, EmitRequest r)
    {
        var ports = r.Plan.Ports;
        w.DocSummary("kube-proxy's choices for the cluster's service ports, and the persistence table ClientIP affinity shares.");
        w.Line($"public static global::FastPath.Compiled.CompiledDataPlane DataPlane => {DataClass}.DataPlane;");
        w.Line();
        // Typed accessors: Namespace.Service.Port, so a typo in a name is a compile error.
        var used = new HashSet<string>(Reserved, System.StringComparer.Ordinal) { r.ClassName };
        foreach (var nsGroup in ports.Select((p, i) => (p, i)).GroupBy(x => x.p.Namespace).OrderBy(g => g.Key, System.StringComparer.Ordinal))
        {
            var nsId = Unique(Identifier(nsGroup.Key), used, "Namespace");
            w.DocSummary($"Services in namespace <c>{Xml(nsGroup.Key)}</c>.");
            w.Open($"public static class {nsId}");
            var inNs = new HashSet<string>(System.StringComparer.Ordinal) { nsId };
            foreach (var svcGroup in nsGroup.GroupBy(x => x.p.Service).OrderBy(g => g.Key, System.StringComparer.Ordinal))
            {
                var svcId = Unique(Identifier(svcGroup.Key), inNs, "Service");
                w.DocSummary($"Service <c>{Xml(nsGroup.Key)}/{Xml(svcGroup.Key)}</c>. Source: {Xml(svcGroup.First().p.Source)}.");
                w.Open($"public static class {svcId}");
                var inSvc = new HashSet<string>(System.StringComparer.Ordinal) { svcId };
                foreach (var (p, i) in svcGroup)
                {
                    var portId = Unique(p.PortName is null ? "Port" + Num(p.Port) : Identifier(p.PortName), inSvc, "Port");
                    var eps = p.Endpoints.Count == 0 ? "no endpoints" : string.Join(", ", p.Endpoints.Take(8)) + (p.Endpoints.Count > 8 ? ", …" : "");
                    var affinity = p.AffinityTimeout > 0 ? $", ClientIP affinity {Num(p.AffinityTimeout)} s" : "";
                    w.DocSummary($"Port {Xml(p.PortName ?? "(unnamed)")} ({Num(p.Port)}/{p.Protocol}), scheduler {p.Scheduler}{affinity}: {Xml(eps)}.");
                    w.Line($"public static global::FastPath.Compiled.ServicePortHandle {portId} =>");
                    w.Line($"    {DataClass}.DataPlane.Ports[{Num(i)}];");
                }
                w.Close();
            }
            w.Close();
        }
        w.Line();
    }

    private static void EmitEnvironment(SourceWriter w)
    {
        w.DocSummary("The service environment variables the kubelet gives a pod in <paramref name=\"ns\"/>, in order.");
        w.Line("public static global::System.Collections.Generic.IReadOnlyList<");
        w.Line("    global::System.Collections.Generic.KeyValuePair<string, string>> Environment(");
        w.Line("        string ns, bool enableServiceLinks = true) =>");
        w.Line($"        {DataClass}.Environment.For(ns, enableServiceLinks);");
        w.Line();
    }

    private static void EmitPlanData(SourceWriter w, EmitRequest r, TableSink tables)
    {
        var blob = PlanCodec.Write(r.Plan.Ports, r.Plan.Environment);
        var bytes = tables.Expression("Plans", "the service ports (endpoints, scheduler, a decision per node and source) " +
            "and the environment variables per namespace, written by PlanCodec.", blob);
        w.Line("private static readonly global::FastPath.Model.Tables.PlanCodec.Plans Plans =");
        w.Line($"    global::FastPath.Model.Tables.PlanCodec.Read({bytes});");
        w.Line("internal static readonly global::FastPath.Compiled.CompiledDataPlane DataPlane =");
        w.Line("    global::FastPath.Compiled.CompiledDataPlane.FromPlan(Plans.Ports);");
        w.Line("internal static readonly global::FastPath.Compiled.CompiledEnvironment Environment =");
        w.Line("    global::FastPath.Compiled.CompiledEnvironmentFactory.FromPlan(Plans.Environment);");
        w.Line();
    }

    private static string Unique(string id, HashSet<string> used, string suffix)
    {
        var candidate = used.Contains(id) ? id + suffix : id;
        for (int n = 2; used.Contains(candidate); n++) candidate = id + suffix + Num(n);
        used.Add(candidate);
        return candidate;
    }
}
