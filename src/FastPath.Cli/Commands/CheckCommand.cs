using System.IO;
using System.Linq;
using FastPath.Model;
using FastPath.Model.Diagnostics;

namespace FastPath.Cli.Commands;

/// <summary><c>fastpath check</c>: a summary of the cluster and every diagnostic; exit 1 on any error.</summary>
internal static class CheckCommand
{
    public const string Usage = "fastpath check [--manifests DIR]... [--corefile FILE] [--service-cidr CIDR]";

    public static int Run(CliArgs args, TextWriter @out)
    {
        var result = ClusterInput.Load(args);
        args.RejectUnknown();
        foreach (var d in result.Diagnostics) @out.WriteLine(d);
        int errors = result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        int warnings = result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
        if (result.Cluster is { } c) WriteSummary(c, @out);
        @out.WriteLine($"{errors} error(s), {warnings} warning(s)");
        return errors == 0 ? 0 : 1;
    }

    private static void WriteSummary(Cluster c, TextWriter @out)
    {
        @out.WriteLine($"namespaces: {c.Namespaces.Count} ({string.Join(", ", c.Namespaces)})");
        var kinds = c.Services.GroupBy(Describe).OrderBy(g => g.Key, System.StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
        @out.WriteLine($"services: {c.Services.Count} ({string.Join(", ", kinds)})");
        var eps = c.EndpointSlices.SelectMany(s => s.Endpoints).ToList();
        int ready = eps.Count(e => e.IsReady);
        int terminating = eps.Count(e => e.IsTerminating);
        int notReady = eps.Count(e => !e.IsReady && !e.IsTerminating);
        @out.WriteLine($"endpoints: {eps.Count} ({ready} ready, {notReady} not ready, {terminating} terminating) in {c.EndpointSlices.Count} slice(s)");
        @out.WriteLine($"pods: {c.Pods.Count}, nodes: {c.Nodes.Count}");
        foreach (var block in c.Corefile.ServerBlocks)
        {
            var k = block.Plugins.Kubernetes;
            var plugins = string.Join(" ", block.Directives.Select(d => d.Name));
            @out.WriteLine($"corefile: {string.Join(" ", block.Keys)} [{plugins}]" +
                (k is null ? "" : $"; kubernetes {string.Join(" ", k.Zones)} (pods {k.Pods.ToString().ToLowerInvariant()}, ttl {k.Ttl})"));
        }
    }

    private static string Describe(Service s) => s.IsHeadless ? "headless" : s.Type.ToString();
}
