using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using FastPath.Compiler;
using FastPath.Model;

namespace FastPath.Cli;

/// <summary>The --engine option: compiled (the default) or reference.</summary>
internal static class Engines
{
    public static string Parse(string? text) => text switch
    {
        null or "compiled" => "compiled",
        "reference" => "reference",
        _ => throw new UsageException($"--engine must be compiled or reference, not '{text}'"),
    };

    /// <summary>
    /// Compiles the cluster with Roslyn; assemblies are cached under FASTPATH_CACHE (default: the temp folder),
    /// so running the same manifests again does not compile again.
    /// </summary>
    public static CompiledCluster Compile(Cluster cluster, IReadOnlyList<IPAddress>? dnsIps)
    {
        var cache = Environment.GetEnvironmentVariable("FASTPATH_CACHE") ?? Path.Combine(Path.GetTempPath(), "fastpath-compiled");
        return ClusterCompiler.Compile(cluster, dnsIps, cache);
    }
}
