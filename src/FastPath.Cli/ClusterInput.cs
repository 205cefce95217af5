using System;
using System.IO;
using System.Linq;
using FastPath.Model;
using FastPath.Model.Diagnostics;
using FastPath.Model.Loading;

namespace FastPath.Cli;

/// <summary>The options every subcommand takes to find its cluster: --manifests, --corefile, --service-cidr.</summary>
internal static class ClusterInput
{
    public const string DefaultManifests = "manifests/demo";

    /// <summary>The --manifests paths, or the demo's when none is given.</summary>
    public static System.Collections.Generic.IReadOnlyList<string> Paths(CliArgs args)
    {
        var paths = args.Options("--manifests").ToList();
        if (paths.Count == 0) paths.Add(DefaultManifests);
        return paths;
    }

    public static LoadResult Load(CliArgs args)
    {
        var paths = Paths(args);
        var options = new LoadOptions { CorefilePath = args.Option("--corefile"), ServiceCidr = args.Option("--service-cidr") };
        return ClusterLoader.LoadPaths(paths, options);
    }

    /// <summary>Loads the cluster for a query command: diagnostics go to stderr, and a failed load returns null.</summary>
    public static Cluster? LoadOrReport(CliArgs args, TextWriter err)
    {
        var result = Load(args);
        foreach (var d in result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))
            err.WriteLine(d);
        if (result.Cluster is null) err.WriteLine("fastpath: the manifests have errors; run 'fastpath check' for every diagnostic");
        return result.Cluster;
    }
}
