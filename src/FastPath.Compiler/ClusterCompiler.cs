using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using FastPath.Compiled;
using FastPath.Model;
using FastPath.Model.Emit;
using FastPath.Model.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace FastPath.Compiler;

/// <summary>A cluster compiled at run time and loaded in its own collectible load context; dispose to unload it.</summary>
public sealed class CompiledCluster : IDisposable
{
    private AssemblyLoadContext? _context;

    [RequiresUnreferencedCode(ClusterCompiler.Why)]
    internal CompiledCluster(AssemblyLoadContext context, Type type, string source)
    {
        _context = context;
        Type = type;
        Source = source;
        Dns = (CompiledDns)type.GetProperty("Dns", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
    }

    /// <summary>The generated class.</summary>
    /// <remarks><see cref="Source"/> is empty when the assembly came from the cache.</remarks>
    public Type Type { get; }
    public string Source { get; }
    public CompiledDns Dns { get; }

    [RequiresUnreferencedCode(ClusterCompiler.Why)]
    public T Get<T>(string property) => (T)Type.GetProperty(property, BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    public void Dispose()
    {
        _context?.Unload();
        _context = null;
    }
}

/// <summary>
/// Compiles a cluster with the emitter the source generator uses and Roslyn in-process. Compiled assemblies are kept
/// in a cache folder keyed by the source's hash, so the same manifests compile once.
/// </summary>
public static class ClusterCompiler
{
    // Roslyn compiles against the assemblies' files, and the result is loaded and reached by reflection: neither a
    // trimmed app nor Native AOT (no JIT to run what was loaded) can do that. The CLI's AOT build turns this off.
    internal const string Why = "Compiles C# with Roslyn and loads the assembly it produces: needs the JIT, untrimmed assemblies and their files; use ClusterSnapshot (the same tables built in memory) under Native AOT or trimming.";

    private static MetadataReference[]? s_references;

    public static string EmitSource(Cluster cluster, IReadOnlyList<System.Net.IPAddress>? dnsIps = null, string className = "") =>
        Emit(cluster, dnsIps, className, tablesAsResources: false).Source;

    private static EmitOutput Emit(Cluster cluster, IReadOnlyList<System.Net.IPAddress>? dnsIps, string className, bool tablesAsResources)
    {
        var name = className.Length > 0 ? className : "Cluster_" + cluster.ContentHash.Substring(0, 12);
        return ClusterPipeline.PlanAndEmit(cluster, dnsIps, plan => new EmitRequest
        {
            TablesAsResources = tablesAsResources,
            Namespace = "FastPath.Generated",
            ClassName = name,
            Accessibility = "public",
            Plan = plan,
            Description = "a cluster compiled at run time",
        }).Output;
    }

    /// <summary>
    /// The builds that decide a compiled assembly's bytes: the runtime its code calls and the model that plans and lays
    /// out its tables (a planner or hash change in FastPath.Model alone must not find an assembly cached by another).
    /// </summary>
    internal static readonly string BuildIdentity =
        typeof(CompiledDns).Assembly.ManifestModule.ModuleVersionId + "|" + typeof(Cluster).Assembly.ManifestModule.ModuleVersionId;

    /// <param name="cacheDirectory">Where compiled assemblies are kept; null for no cache.</param>
    [RequiresUnreferencedCode(Why), RequiresDynamicCode(Why), RequiresAssemblyFiles(Why)]
    public static CompiledCluster Compile(Cluster cluster, IReadOnlyList<System.Net.IPAddress>? dnsIps = null, string? cacheDirectory = null)
    {
        var className = "FastPath.Generated.Cluster_" + cluster.ContentHash.Substring(0, 12);
        // The cluster's content hash (manifests, Corefile, options) and FastPath's own build identify the output, so a
        // cached assembly is found before planning: large clusters load in milliseconds the second time.
        var inputKey = cluster.ContentHash + "|" + cluster.ServiceCidr + "|" + string.Join(",", dnsIps ?? []) + "|" + BuildIdentity;
        var inputPath = cacheDirectory is null ? null : Path.Combine(cacheDirectory, "in-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(inputKey))).Substring(0, 32) + ".dll");
        byte[] bytes;
        string source = "";
        if (inputPath is not null && File.Exists(inputPath)) bytes = File.ReadAllBytes(inputPath);
        else
        {
            var emitted = Emit(cluster, dnsIps, "", tablesAsResources: true);
            source = emitted.Source;
            bytes = cacheDirectory is null ? Build(emitted.Source, emitted.Resources) : Cached(emitted, cacheDirectory);
            if (inputPath is not null) WriteAtomically(inputPath, bytes);
        }
        var context = new AssemblyLoadContext("FastPath:" + className, isCollectible: true);
        var asm = context.LoadFromStream(new MemoryStream(bytes));
        return new CompiledCluster(context, asm.GetType(className, throwOnError: true)!, source);
    }

    [RequiresAssemblyFiles(Why)]
    private static byte[] Cached(EmitOutput emitted, string dir)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(emitted.Source + "|" + BuildIdentity));
        foreach (var r in emitted.Resources) sha.AppendData(r.Value);
        var key = Convert.ToHexString(sha.GetHashAndReset()).Substring(0, 32);
        var path = Path.Combine(dir, key + ".dll");
        if (File.Exists(path)) return File.ReadAllBytes(path);
        var bytes = Build(emitted.Source, emitted.Resources);
        WriteAtomically(path, bytes);
        return bytes;
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = path + "." + Environment.ProcessId + ".tmp";
        File.WriteAllBytes(tmp, bytes);
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Compiles generated source to an assembly; a compile error is a FastPath bug and says so.</summary>
    [RequiresAssemblyFiles(Why)]
    public static byte[] Build(string source, IReadOnlyList<KeyValuePair<string, byte[]>>? resources = null)
    {
        var references = LazyInitializer.EnsureInitialized(ref s_references, LoadReferences);
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("FastPath.Generated." + Guid.NewGuid().ToString("N"), [tree], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release,
                nullableContextOptions: NullableContextOptions.Enable, deterministic: true));
        using var ms = new MemoryStream();
        var result = compilation.Emit(ms, manifestResources: resources?.Select(r => new ResourceDescription(r.Key, () => new MemoryStream(r.Value), isPublic: true)));
        if (!result.Success)
        {
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(10).Select(d => d.ToString());
            throw new InvalidOperationException("FastPath generated code that does not compile (a FastPath bug):\n" + string.Join("\n", errors));
        }
        return ms.ToArray();
    }

    [RequiresAssemblyFiles(Why)]
    private static MetadataReference[] LoadReferences()
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var paths = new HashSet<string>(tpa, StringComparer.Ordinal)
        {
            typeof(CompiledDns).Assembly.Location,
            typeof(Cluster).Assembly.Location,
        };
        return paths.Where(p => p.Length > 0 && File.Exists(p)).OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
    }
}
