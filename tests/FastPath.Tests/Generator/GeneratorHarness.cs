using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using FastPath.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace FastPath.Tests.Generator;

/// <summary>Runs the generator on an in-memory project: C# sources plus AdditionalFiles under /proj/.</summary>
internal static class GeneratorHarness
{
    public const string ProjectDir = "/proj/";

    private static readonly Lazy<MetadataReference[]> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(FastPath.Compiled.CompiledDns).Assembly.Location)
            .Append(typeof(FastPath.Model.Cluster).Assembly.Location)
            .Distinct().Where(File.Exists).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray());

    public sealed class Text(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;
        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    private sealed class Options : AnalyzerConfigOptionsProvider
    {
        private sealed class Global : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value)
            {
                value = key == "build_property.projectdir" ? ProjectDir : "";
                return key == "build_property.projectdir";
            }
        }
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Global();
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => GlobalOptions;
    }

    public static CSharpCompilation Compilation(params string[] sources) =>
        CSharpCompilation.Create("Consumer", sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest), path: $"/proj/Code{i}.cs")),
            References.Value, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver(IEnumerable<AdditionalText> files) =>
        CSharpGeneratorDriver.Create([new ClusterGenerator().AsSourceGenerator()], files, new CSharpParseOptions(LanguageVersion.Latest), new Options(),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs once; the compilation with the generated code, and the generator's diagnostics.</summary>
    public static (Compilation Output, ImmutableArray<Diagnostic> Diagnostics, GeneratorDriver Driver) Run(Compilation input, IEnumerable<AdditionalText> files)
    {
        var driver = Driver(files).RunGeneratorsAndUpdateCompilation(input, out var output, out var diagnostics);
        return (output, diagnostics, driver);
    }

    public static IEnumerable<AdditionalText> Demo(string folder = "manifests/demo") =>
        Directory.GetFiles(TestClusters.DemoPath, "*.yaml").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => new Text(ProjectDir + folder + "/" + Path.GetFileName(f), File.ReadAllText(f)));

    public const string DemoDeclaration = "[FastPath.FastPathCluster(\"manifests/demo\")] public static partial class Demo;";
}
