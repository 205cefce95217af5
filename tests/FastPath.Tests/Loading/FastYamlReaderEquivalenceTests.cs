using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using FastPath.Fuzz;
using FastPath.Model;
using FastPath.Model.Diagnostics;
using FastPath.Model.Loading;
using FastPath.TestData;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace FastPath.Tests.Loading;

/// <summary>
/// The hand-written manifest reader builds exactly the trees the YamlDotNet pass builds (values, scalar styles,
/// lines, columns), or declines the file so that the YamlDotNet pass reads it: on every manifest, fixture and oracle
/// file we have, on generated manifest-shaped YAML and on mutated manifests.
/// </summary>
public class FastYamlReaderEquivalenceTests
{
    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FastPath.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("FastPath.sln not found above the test folder");
    }

    /// <summary>The conformance oracles are JSON, so YAML too; they sit beside the repository when it is checked out for work.</summary>
    private const string ConformancePath = "/work/shared/conformance";

    private static IEnumerable<string> CorpusFiles()
    {
        var root = RepoRoot();
        var roots = new List<string> { Path.Combine(root, "manifests"), Path.Combine(root, "tests") };
        if (Directory.Exists(ConformancePath)) roots.Add(ConformancePath);
        return roots.SelectMany(r => Directory.GetFiles(r, "*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal);
    }

    /// <summary>Texts the tests build in code: the fuzz targets' cluster, the synthetic cluster as YAML and as kubectl JSON.</summary>
    private static IEnumerable<(string Name, string Text)> CodeTexts()
    {
        var synthetic = SyntheticCluster.Yaml(60, 3);
        yield return ("FuzzTargets.Yaml", FuzzTargets.Yaml);
        yield return ("SyntheticCluster.Yaml(60, 3)", synthetic);
        yield return ("KubectlJson of it", KubectlJson.FromYaml(synthetic));
        yield return ("ManifestLimitsTests.BillionLaughs", ManifestLimitsTests.BillionLaughs);
    }

    /// <summary>
    /// What the fast reader makes of a text: "declined", or its trees after checking that the YamlDotNet pass builds
    /// the same trees and reports nothing.
    /// </summary>
    private static string Compare(string text, ManifestLimits? limits = null)
    {
        limits ??= new ManifestLimits();
        var fast = FastYamlReader.TryRead(text, limits);
        var bag = new DiagnosticBag();
        var slow = ManifestScanner.Scan(new ManifestText("m.yaml", text), limits, bag, fastReader: false);
        if (fast is null) return "declined";
        Assert.True(bag.Sorted().Count == 0, "the fast reader accepted a file YamlDotNet reports on:\n" + string.Join("\n", bag.Sorted()) + "\n" + text);
        Assert.NotNull(slow);
        string a = Dump(fast), b = Dump(slow!);
        Assert.True(a == b, $"trees differ for:\n{text}\n--- fast:\n{a}\n--- YamlDotNet:\n{b}");
        return a;
    }

    private static string Dump(IReadOnlyList<YamlValue> documents)
    {
        var sb = new StringBuilder();
        foreach (var d in documents) { Dump(d, sb, 0); sb.Append("---\n"); }
        return sb.ToString();
    }

    private static void Dump(YamlValue v, StringBuilder sb, int depth)
    {
        sb.Append(' ', depth * 2).Append(v.Kind).Append(" @").Append(v.Line).Append(':').Append(v.Column);
        if (v.IsScalar) sb.Append(' ').Append(v.Style).Append(" \"").Append(v.Value!.Replace("\\", "\\\\").Replace("\n", "\\n")).Append('"');
        sb.Append('\n');
        foreach (var c in v.Children) Dump(c, sb, depth + 1);
    }

    [Fact]
    public void Every_manifest_fixture_and_oracle_file_reads_the_same_or_is_declined()
    {
        var declined = new List<string>();
        int files = 0;
        foreach (var f in CorpusFiles())
        {
            files++;
            if (Compare(File.ReadAllText(f)) == "declined") declined.Add(Path.GetFileName(f));
        }
        foreach (var (name, text) in CodeTexts())
            if (Compare(text) == "declined") declined.Add(name);
        Assert.True(files >= 10, $"only {files} files found under {RepoRoot()}");
        // Only the files with a block scalar (a Corefile as `Corefile: |`) and the alias bomb go to YamlDotNet.
        Assert.Equal(["ManifestLimitsTests.BillionLaughs", "corefile.yaml", "daemonset.yaml", "kube-dns.yaml"], declined.OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void The_synthetic_cluster_as_yaml_and_as_kubectl_json_is_read_by_the_fast_reader()
    {
        var yaml = SyntheticCluster.Yaml(200, 4);
        Assert.NotEqual("declined", Compare(yaml));
        Assert.NotEqual("declined", Compare(KubectlJson.FromYaml(yaml)));
    }

    [Theory]
    [InlineData("compact sequence of mappings", "ports:\n- name: http\n  port: 80\n- {name: grpc, port: 9000}\n")]
    [InlineData("indented sequence, nested mapping", "spec:\n  ports:\n    - port: 80\n      targetPort: 8080\n  type: ClusterIP\n")]
    [InlineData("comments everywhere", "# head\na: 1 # one\n# between\nb:   # before a block\n  c: d\n    # odd indent\n  e: f\n")]
    [InlineData("empty values", "a:\nb:\n- \n-\nc: ''\nd:\n")]
    [InlineData("quoted scalars and escapes", "a: 'it''s'\nb: \"x\\ty\\n\\\"q\\\" \\u00e9 \\x41 \\U0001F600 \\/\"\n'c d': \"\"\n")]
    [InlineData("plain scalars with indicators inside", "a: b:c\nd: e#f\ng: x [y] {z}, w\nh: -1\ni: http://h/p?q=1&r=2\n")]
    [InlineData("flow over several lines", "a: {b: 1,\n  c: [x,\n    y]}\nd: [ ]\n")]
    [InlineData("JSON", "{\n  \"kind\": \"List\",\n  \"items\": [\n    {\"a\":1,\"b\":true,\"c\":null,\"d\":[]}\n  ]\n}\n")]
    [InlineData("documents, an empty one between markers", "---\na: 1\n---\n---\n# only a comment\nb: 2\n")]
    [InlineData("a plain scalar on the line after its key", "a:\n  value\nb: 1\n")]
    public void Constructs_of_the_subset_are_read_the_same(string construct, string yaml)
    {
        Assert.True(Compare(yaml) != "declined", construct + " was declined");
    }

    [Theory]
    [InlineData("anchor and alias", "a: &x {b: 1}\nc: *x\n")]
    [InlineData("tag", "a: !!str 1\n")]
    [InlineData("literal block scalar", "a: |\n  text\n")]
    [InlineData("folded block scalar", "a: >-\n  text\n")]
    [InlineData("multi-line plain scalar", "a: one\n  two\n")]
    [InlineData("multi-line quoted scalar", "a: \"one\n  two\"\n")]
    [InlineData("explicit key", "? a\n: b\n")]
    [InlineData("directive", "%YAML 1.2\n---\na: 1\n")]
    [InlineData("tab", "a:\tb\n")]
    [InlineData("carriage return", "a: b\r\nc: d\r\n")]
    [InlineData("document end marker", "a: 1\n...\n")]
    [InlineData("empty document at the end", "a: 1\n---\n")]
    [InlineData("root scalar", "just text\n")]
    [InlineData("comment in a flow collection", "a: [1, # one\n  2]\n")]
    [InlineData("trailing comma", "a: [1, 2,]\n")]
    [InlineData("pair in a flow sequence", "a: [b: c]\n")]
    [InlineData("nested compact sequence", "- - a\n")]
    [InlineData("duplicate key", "a: 1\na: 2\n")]
    [InlineData("syntax error", "a: [1, 2\nb: 3\n")]
    [InlineData("bad indentation", "a:\n    b: 1\n  c: 2\n")]
    public void Constructs_outside_the_subset_are_declined_and_YamlDotNet_reads_them(string construct, string yaml)
    {
        Assert.True(FastYamlReader.TryRead(yaml, new ManifestLimits()) is null, construct + " was not declined");
        // The file's result is the YamlDotNet pass's, diagnostics included.
        var viaScan = new DiagnosticBag();
        var direct = new DiagnosticBag();
        var a = ManifestScanner.Scan(new ManifestText("m.yaml", yaml), new ManifestLimits(), viaScan);
        var b = ManifestScanner.Scan(new ManifestText("m.yaml", yaml), new ManifestLimits(), direct, fastReader: false);
        Assert.Equal(string.Join("\n", direct.Sorted()), string.Join("\n", viaScan.Sorted()));
        Assert.Equal(b is null ? "null" : Dump(b), a is null ? "null" : Dump(a));
    }

    [Fact]
    public void A_limit_crossed_is_left_to_YamlDotNet_to_report()
    {
        var yaml = "a: {b: {c: [d]}}\ne: " + new string('x', 50) + "\n";
        Assert.NotEqual("declined", Compare(yaml));
        Assert.Null(FastYamlReader.TryRead(yaml, new ManifestLimits { MaxDepth = 3 }));
        Assert.Null(FastYamlReader.TryRead(yaml, new ManifestLimits { MaxScalarLength = 49 }));
        Assert.Null(FastYamlReader.TryRead("a: 1\n---\nb: 2\n", new ManifestLimits { MaxDocuments = 1 }));
        var bag = new DiagnosticBag();
        Assert.Null(ManifestScanner.Scan(new ManifestText("m.yaml", yaml), new ManifestLimits { MaxDepth = 3 }, bag));
        Assert.Contains(bag.Sorted(), d => d.IsError && d.Message.Contains(nameof(ManifestLimits.MaxDepth), StringComparison.Ordinal));
    }

    [Property(MaxTest = 500)]
    public Property Generated_manifest_shaped_yaml_is_read_by_the_fast_reader_exactly_as_by_YamlDotNet() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var yaml = ManifestShapedYaml.Generate(seed);
            Assert.True(Compare(yaml) != "declined", $"seed {seed} declined:\n{yaml}");
        });

    private static readonly string[] Seeds =
        [.. CorpusFiles().Where(f => f.EndsWith(".yaml", StringComparison.Ordinal)).Select(File.ReadAllText), KubectlJson.FromYaml(SyntheticCluster.Yaml(3, 2))];

    private static Gen<string> Mutated(string text) =>
        TextMutations.Of(text, 4, ":", "-", " ", "\n", "{", "}", "[", "]", "'", "\"", "#", "x", "9", ",", "\\", "&a", "*a", "!!int", "---", "...", ": ", "- ", " #", "\n  ", "\n- ", "'it''s'", "\"a\\nb\"", "[1, 2]", "{a: 1}", "|", "?");

    [Property(MaxTest = 2000)]
    public Property Mutated_manifests_are_read_the_same_or_declined() =>
        Prop.ForAll(Gen.Elements(Seeds).SelectMany(Mutated).ToArbitrary(), text =>
        {
            if (ManifestScanner.CheckCharacters("m.yaml", text, new DiagnosticBag())) Compare(text);
        });
}
