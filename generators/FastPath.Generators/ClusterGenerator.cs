using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace FastPath.Generators;

/// <summary>
/// Compiles Kubernetes manifests and a Corefile (AdditionalFiles) into each <c>[FastPathCluster("dir")]</c> class.
/// This file is the pipeline's wiring only: <see cref="Parser"/> reads declarations and files, <see cref="Emitter"/>
/// runs the shared load → validate → plan → emit pipeline, <c>Model/</c> holds the equatable values in between.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ClusterGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Declarations and files are read separately, and each manifest is parsed in its own step; every output is a
        // value model compared by value, so an unchanged input stops there (editing one file re-parses one file).
        var declarations = context.SyntaxProvider
            .ForAttributeWithMetadataName(Parser.AttributeName, static (node, _) => node is ClassDeclarationSyntax, Parser.ParseDeclaration)
            .Where(static d => d is not null)
            .Select(static (d, _) => d!)
            .WithTrackingName(TrackingNames.Declarations);

        var projectDir = context.AnalyzerConfigOptionsProvider
            .Select(static (o, _) => o.GlobalOptions.TryGetValue("build_property.projectdir", out var dir) ? dir : "")
            .WithTrackingName(TrackingNames.ProjectDirectory);

        var files = context.AdditionalTextsProvider
            .Combine(projectDir)
            .Select(static (pair, ct) => Parser.ReadFile(pair.Left, pair.Right, ct))
            .Where(static f => f is not null)
            .Select(static (f, _) => f!)
            .WithTrackingName(TrackingNames.Files)
            .Select(static (f, _) => Parser.ParseFile(f))
            .WithTrackingName(TrackingNames.ParsedFiles);

        // Each declaration takes the files under its folder: a cluster whose files did not change is not rebuilt.
        var clusters = declarations
            .Combine(files.Collect())
            .Select(static (pair, _) => Parser.SelectInputs(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.ClusterInputs)
            .Select(static (inputs, ct) => Emitter.Build(inputs, ct))
            .WithTrackingName(TrackingNames.Clusters);

        // Source and diagnostics are separate outputs: moving text re-reports diagnostics without re-emitting code.
        context.RegisterSourceOutput(clusters.Select(static (c, _) => (c.HintName, c.Source)), static (spc, c) =>
        {
            if (c.Source is not null) spc.AddSource(c.HintName, SourceText.From(c.Source, System.Text.Encoding.UTF8));
        });
        context.RegisterSourceOutput(clusters.Select(static (c, _) => c.Diagnostics), static (spc, diags) =>
        {
            foreach (var d in diags)
                spc.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.For(d), d.Location?.ToLocation(), d.Message));
        });
    }
}
