using System;
using System.Collections.Generic;
using System.Net;
using FastPath.Model.Diagnostics;
using FastPath.Model.Emit;
using FastPath.Model.Loading;
using FastPath.Model.Planning;

namespace FastPath.Model.Pipeline;

/// <summary>What one run of the pipeline produced: every diagnostic, and the plan and code when no error blocked them.</summary>
public sealed record PipelineResult(IReadOnlyList<Diagnostic> Diagnostics, ClusterPlan? Plan, EmitOutput? Output);

/// <summary>
/// Load → validate → plan → emit, orchestrated in this one place: the source generator runs all of it on its
/// AdditionalFiles; the run-time compiler, which is handed a loaded cluster, runs plan → emit. Each stage runs once.
/// </summary>
public static class ClusterPipeline
{
    /// <param name="manifests">Each file parsed on its own (<see cref="ClusterLoader.Parse"/>), so a caller can keep a file's parse.</param>
    /// <param name="request">Says where the code goes (namespace, class, …) for the cluster once it is planned.</param>
    public static PipelineResult Run(IEnumerable<ParsedManifest> manifests, LoadOptions options, IReadOnlyList<IPAddress>? dnsIps,
        Func<ClusterPlan, EmitRequest> request)
    {
        // Loading validates as it reads: every problem is a located diagnostic, and an error leaves no cluster.
        var loaded = ClusterLoader.LoadParsed(manifests, options);
        if (loaded.Cluster is null) return new PipelineResult(loaded.Diagnostics, null, null);
        var (plan, output) = PlanAndEmit(loaded.Cluster, dnsIps, request);
        return new PipelineResult(loaded.Diagnostics, plan, output);
    }

    public static (ClusterPlan Plan, EmitOutput Output) PlanAndEmit(Cluster cluster, IReadOnlyList<IPAddress>? dnsIps,
        Func<ClusterPlan, EmitRequest> request)
    {
        var plan = ClusterPlan.Build(cluster, dnsIps);
        return (plan, ClusterEmitter.EmitWithResources(request(plan)));
    }
}
