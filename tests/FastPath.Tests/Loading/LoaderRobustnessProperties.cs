using System;
using System.IO;
using System.Linq;
using FastPath.Model;
using FastPath.Model.Diagnostics;
using FastPath.Model.Loading;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FastPath.Tests.Loading;

/// <summary>Random and mutated input never makes the loaders throw, and a failed load always says why.</summary>
public class LoaderRobustnessProperties
{
    private static readonly string[] Seeds = Directory.GetFiles(TestClusters.DemoPath, "*.yaml").OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllText).ToArray();

    private static Gen<string> Mutated(string text) =>
        TextMutations.Of(text, 5, ":", "-", " ", "\n", "{", "}", "[", "]", "'", "\"", "#", "x", "9", "None", "\t", "&a", "*a", "!!int", "---");

    private static void AssertLoadsOrExplains(LoadResult r)
    {
        if (r.Cluster is null && !r.Diagnostics.Any(d => d.IsError))
            throw new Exception("a failed load must carry an error diagnostic");
    }

    [Property(MaxTest = 300)]
    public Property Mutated_manifests_never_throw() =>
        Prop.ForAll(Gen.Elements(Seeds).SelectMany(Mutated).ToArbitrary(), text =>
            AssertLoadsOrExplains(ClusterLoader.LoadTexts([new ManifestText("m.yaml", text)])));

    [Property(MaxTest = 300)]
    public Property Random_text_never_throws(string text) =>
        Prop.ToProperty(Try(() => AssertLoadsOrExplains(ClusterLoader.LoadTexts([new ManifestText("r.yaml", text ?? "")]))));

    [Property(MaxTest = 300)]
    public Property Mutated_corefiles_never_throw() =>
        Prop.ForAll(Mutated(Model.Corefile.CorefileConfig.Default).ToArbitrary(), text =>
        {
            var bag = new DiagnosticBag();
            Model.Corefile.CorefileParser.Parse(text, "Corefile", bag, 0, _ => null, _ => null);
        });

    private static bool Try(Action a) { a(); return true; }
}
