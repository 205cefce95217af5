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
        from ops in Gen.ListOf(
            from at in Gen.Choose(0, Math.Max(0, text.Length - 1))
            from kind in Gen.Choose(0, 5)
            from piece in Gen.Elements(":", "-", " ", "\n", "{", "}", "[", "]", "'", "\"", "#", "x", "9", "None", "\t", "&a", "*a", "!!int", "---")
            select (at, kind, piece))
        select ops.Aggregate(text, (t, op) =>
        {
            int at = Math.Min(op.at, t.Length);
            return op.kind switch
            {
                0 => t.Remove(at, Math.Min(3, t.Length - at)),
                1 => t.Insert(at, op.piece),
                2 => t.Substring(0, at),
                _ => t.Insert(at, op.piece + op.piece),
            };
        });

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
