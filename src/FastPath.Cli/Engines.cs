using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using FastPath.Compiler;
using FastPath.Model;

namespace FastPath.Cli;

/// <summary>
/// The --engine option of <c>resolve</c>: compiled (the default: Roslyn, as the generator's code), snapshot (the
/// same tables built in memory, as <c>serve</c> and the live engine answer) or reference (the interpreter).
/// </summary>
internal static class Engines
{
    public static string Parse(string? text) => text switch
    {
        null or "compiled" => "compiled",
        "snapshot" => "snapshot",
        "reference" => "reference",
        _ => throw new UsageException($"--engine must be compiled, snapshot or reference, not '{text}'"),
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
