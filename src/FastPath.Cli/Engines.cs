using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Net;
using System.Runtime.CompilerServices;
using FastPath.Compiler;
using FastPath.Model;

namespace FastPath.Cli;

/// <summary>
/// The --engine option of <c>resolve</c>: compiled (Roslyn, as the generator's code; the default where Roslyn can
/// run), snapshot (the same tables built in memory, as <c>serve</c> and the live engine answer; the default of the
/// Native AOT build) or reference (the interpreter).
/// </summary>
internal static class Engines
{
    private const string RoslynSwitch = "FastPath.Cli.Roslyn";

    /// <summary>
    /// False in the Native AOT build (FastPath.Cli.csproj sets the switch off when PublishAot is true, and the trimmer
    /// then drops the Roslyn path): compiled code cannot be loaded without a JIT.
    /// </summary>
    [FeatureSwitchDefinition(RoslynSwitch)]
    public static bool RoslynSupported => (!AppContext.TryGetSwitch(RoslynSwitch, out bool on) || on) && RuntimeFeature.IsDynamicCodeSupported;

    public const string RoslynUnavailable = "--engine compiled needs Roslyn and a JIT, which this Native AOT build of fastpath does not have; use --engine snapshot (the same tables built in memory, the same answers) or the JIT build (dotnet FastPath.Cli.dll)";

    public static string Parse(string? text) => text switch
    {
        null => RoslynSupported ? "compiled" : "snapshot",
        "compiled" => RoslynSupported ? "compiled" : throw new UsageException(RoslynUnavailable),
        "snapshot" => "snapshot",
        "reference" => "reference",
        _ => throw new UsageException($"--engine must be compiled, snapshot or reference, not '{text}'"),
    };

    /// <summary>
    /// Compiles the cluster with Roslyn; assemblies are cached under FASTPATH_CACHE (default: the temp folder),
    /// so running the same manifests again does not compile again.
    /// </summary>
    // The analyzers cannot prove RoslynSupported guards trimming (no runtime property says "untrimmed"), so the
    // suppression states it: the AOT build sets the switch off, the compiler removes this call, and a run that got
    // here anyway is refused before Roslyn is touched.
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only reached when RoslynSupported, which the trimmed (AOT) build sets to false.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Only reached when RoslynSupported, which is false without dynamic code.")]
    [UnconditionalSuppressMessage("SingleFile", "IL3002", Justification = "Only reached when RoslynSupported, which the single-file (AOT) build sets to false.")]
    public static CompiledCluster Compile(Cluster cluster, IReadOnlyList<IPAddress>? dnsIps)
    {
        if (!RoslynSupported) throw new UsageException(RoslynUnavailable);
        var cache = Environment.GetEnvironmentVariable("FASTPATH_CACHE") ?? Path.Combine(Path.GetTempPath(), "fastpath-compiled");
        return ClusterCompiler.Compile(cluster, dnsIps, cache);
    }
}
