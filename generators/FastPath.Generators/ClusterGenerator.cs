using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace FastPath.Generators;

/// <summary>
/// Compiles Kubernetes manifests and a Corefile (AdditionalFiles) into each <c>[FastPathCluster("dir")]</c> class.
/// The pipeline: declarations and files are read separately (editing one file re-reads one file); each declaration
/// takes the files under its folder (a cluster whose files did not change is not rebuilt); source and diagnostics
/// go to separate outputs (moving text re-reports diagnostics without re-emitting code).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ClusterGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var declarations = context.SyntaxProvider
            .ForAttributeWithMetadataName(DeclarationParser.AttributeName, static (node, _) => node is ClassDeclarationSyntax, DeclarationParser.Parse)
            .Where(static d => d is not null)
            .Select(static (d, _) => d!)
            .WithTrackingName(TrackingNames.Declarations);

        var projectDir = context.AnalyzerConfigOptionsProvider
            .Select(static (o, _) => o.GlobalOptions.TryGetValue("build_property.projectdir", out var dir) ? dir : "")
            .WithTrackingName(TrackingNames.ProjectDirectory);

        var files = context.AdditionalTextsProvider
            .Combine(projectDir)
            .Select(static (pair, ct) => ReadFile(pair.Left, pair.Right, ct))
            .Where(static f => f is not null)
            .Select(static (f, _) => f!)
            .WithTrackingName(TrackingNames.Files);

        var clusters = declarations
            .Combine(files.Collect())
            .Select(static (pair, _) => ClusterBuilder.Select(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.ClusterInputs)
            .Select(static (inputs, ct) => ClusterBuilder.Build(inputs, ct))
            .WithTrackingName(TrackingNames.Clusters);

        context.RegisterSourceOutput(clusters.Select(static (c, _) => (c.HintName, c.Source)), static (spc, c) =>
        {
            if (c.Source is not null) spc.AddSource(c.HintName, SourceText.From(c.Source, System.Text.Encoding.UTF8));
        });
        context.RegisterSourceOutput(clusters.Select(static (c, _) => c.Diagnostics), static (spc, diags) =>
        {
            foreach (var d in diags)
            {
                var descriptor = d.Id.StartsWith("FP01", StringComparison.Ordinal)
                    ? new DiagnosticDescriptor(d.Id, "FastPath", "{0}", GeneratorDiagnostics.Category, d.Severity, true)
                    : GeneratorDiagnostics.ForModel(d.Id, d.Severity);
                spc.ReportDiagnostic(Diagnostic.Create(descriptor, d.Location?.ToLocation(), d.Message));
            }
        });
    }

    private static InputFile? ReadFile(AdditionalText file, string projectDir, System.Threading.CancellationToken ct)
    {
        var text = file.GetText(ct)?.ToString();
        if (text is null) return null;
        return new InputFile(Relative(projectDir, file.Path), file.Path, text);
    }

    /// <summary>The file's path relative to the project folder, with '/' and, for files outside it, "../".</summary>
    internal static string Relative(string projectDir, string path)
    {
        var from = projectDir.Replace('\\', '/').TrimEnd('/').Split('/');
        var to = path.Replace('\\', '/').Split('/');
        if (projectDir.Length == 0) return string.Join("/", to.Skip(to.Length - 1));
        int common = 0;
        while (common < from.Length && common < to.Length - 1 && from[common] == to[common]) common++;
        var up = Enumerable.Repeat("..", from.Length - common);
        return string.Join("/", up.Concat(to.Skip(common)));
    }
}
