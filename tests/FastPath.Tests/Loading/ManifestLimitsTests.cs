using System;
using System.IO;
using System.Linq;
using System.Text;
using FastPath.Model;
using FastPath.Model.Loading;
using Xunit;

namespace FastPath.Tests.Loading;

/// <summary>
/// Hostile or broken manifest files are refused before any object is built, each with a located error that names
/// the limit and the LoadOptions setting that moves it. Allocation is measured per thread, so the bounds are exact.
/// </summary>
public class ManifestLimitsTests
{
    private static LoadResult Load(string text, ManifestLimits? limits = null) =>
        ClusterLoader.LoadTexts([new ManifestText("m.yaml", text)], new LoadOptions { Limits = limits ?? new ManifestLimits() });

    private static Model.Diagnostics.Diagnostic SingleError(LoadResult r)
    {
        Assert.Null(r.Cluster);
        var errors = r.Diagnostics.Where(d => d.IsError).ToList();
        Assert.True(errors.Count == 1, "expected one error, got:\n" + string.Join("\n", r.Diagnostics));
        return errors[0];
    }

    /// <summary>Nine levels of ten aliases each: 10^9 nodes if expanded.</summary>
    internal const string BillionLaughs = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: lol}
        data:
          a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]
          b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
          c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
          d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
          e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
          f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
          g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]
          h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]
          i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h,*h]
        """;

    [Fact]
    public void Billion_laughs_is_refused_at_the_alias_that_crosses_the_limit_allocating_under_a_megabyte()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = SingleError(Load(BillionLaughs));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("FP0062", e.Id);
        Assert.StartsWith("the manifest has YAML aliases that expand to more than 100000 nodes (alias *d alone adds 11111)", e.Message);
        Assert.EndsWith("(LoadOptions.Limits.MaxAliasExpansion)", e.Message);
        Assert.Equal(("m.yaml", 9), (e.Location!.Path, e.Location.Line));
        Assert.True(allocated < 1_000_000, $"allocated {allocated} bytes");
    }

    [Fact]
    public void A_few_aliases_load_as_the_api_server_would_after_expansion()
    {
        var c = TestClusters.Load("""
            apiVersion: v1
            kind: Service
            metadata: {name: a, labels: &l {app: web}}
            spec: {selector: *l, ports: [{port: 80}]}
            """);
        Assert.Equal("web", c.Services[0].Selector!["app"]);
    }

    [Fact]
    public void A_manifest_over_the_file_size_limit_is_refused_before_it_is_read()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("fastpath-big-").FullName, "big.yaml");
        using (var f = File.Create(path)) f.SetLength(100L * 1024 * 1024); // 100 MB, sparse: no time spent writing it
        long before = GC.GetAllocatedBytesForCurrentThread();
        var r = ClusterLoader.LoadPaths([path]);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        File.Delete(path);
        var e = SingleError(r);
        Assert.Equal($"{path}(1,1): error FP0062: the file holds 104857600 bytes; the limit is 67108864 bytes (LoadOptions.Limits.MaxFileBytes)", e.ToString());
        Assert.True(allocated < 1_000_000, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Text_over_a_configured_size_limit_is_refused()
    {
        var e = SingleError(Load("apiVersion: v1\nkind: Namespace\nmetadata: {name: prod}\n", new ManifestLimits { MaxFileBytes = 20 }));
        Assert.Equal("m.yaml(1,1): error FP0062: the file holds 54 bytes; the limit is 20 bytes (LoadOptions.Limits.MaxFileBytes)", e.ToString());
    }

    [Fact]
    public void Deep_nesting_is_refused_without_recursion()
    {
        var deep = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: " + new string('[', 200_000) + new string(']', 200_000) + "\n";
        var e = SingleError(Load(deep));
        Assert.Equal("m.yaml(4,106): error FP0062: the manifest has nesting deeper than 100 levels; the limit is 100 levels (LoadOptions.Limits.MaxDepth)", e.ToString());
    }

    [Fact]
    public void Too_many_documents_are_refused_at_the_first_one_over()
    {
        var text = string.Concat(Enumerable.Range(0, 4).Select(i => $"---\napiVersion: v1\nkind: Namespace\nmetadata: {{name: n{i}}}\n"));
        var e = SingleError(Load(text, new ManifestLimits { MaxDocuments = 3 }));
        Assert.Equal("m.yaml(13,1): error FP0062: the manifest has more than 3 YAML documents; the limit is 3 (LoadOptions.Limits.MaxDocuments)", e.ToString());
        Assert.NotNull(Load(text).Cluster);
    }

    [Fact]
    public void A_scalar_over_the_length_limit_is_refused_at_the_scalar()
    {
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  big: " + new string('x', 2 * 1024 * 1024) + "\n";
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = SingleError(Load(text));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("m.yaml(5,8): error FP0062: the manifest has a token (a scalar) longer than 1048576 characters; the limit is 1048576 characters (LoadOptions.Limits.MaxScalarLength)", e.ToString());
        // The scanner is stopped after the limit (about 1 MiB of the scalar read, buffered twice as UTF-16), not after all of it.
        Assert.True(allocated < 16_000_000, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Duplicate_keys_are_each_refused_at_the_repeated_key()
    {
        var r = Load("apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  ports: [{port: 80, port: 81}]\n  type: ClusterIP\n  type: NodePort\n");
        Assert.Null(r.Cluster);
        Assert.Equal(new[]
        {
            "m.yaml(5,22): error FP0064: mapping key 'port' is given twice (first at line 5); the API server rejects duplicate fields",
            "m.yaml(7,3): error FP0064: mapping key 'type' is given twice (first at line 6); the API server rejects duplicate fields",
        }, r.Diagnostics.Select(d => d.ToString()));
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Namespace\nmetadata: {name: a\u0000b}\n", 3, 19, "the control character U+0000")]
    [InlineData("apiVersion: v1\nkind: Namespace\n\u0007", 3, 1, "the control character U+0007")]
    public void Binary_text_is_refused_at_the_first_bad_character(string text, int line, int column, string what)
    {
        var e = SingleError(Load(text));
        Assert.Equal($"m.yaml({line},{column}): error FP0063: binary input: {what} is not allowed in YAML; a manifest must be UTF-8 text", e.ToString());
    }

    [Fact]
    public void An_unpaired_surrogate_is_refused_as_text_that_was_never_utf8()
    {
        var e = SingleError(Load("apiVersion: v1\nkind: " + (char)0xD800 + "Namespace\n"));
        Assert.Equal("m.yaml(2,7): error FP0063: binary input: an unpaired UTF-16 surrogate is not allowed in YAML; a manifest must be UTF-8 text", e.ToString());
    }

    [Fact]
    public void A_file_that_is_not_utf8_is_named_with_the_offending_byte_and_a_bom_is_accepted()
    {
        var dir = Directory.CreateTempSubdirectory("fastpath-enc-").FullName;
        var latin1 = Path.Combine(dir, "latin1.yaml");
        File.WriteAllBytes(latin1, [.. Encoding.ASCII.GetBytes("apiVersion: v1\nkind: Namespace\nmetadata: {name: caf"), 0xE9, .. Encoding.ASCII.GetBytes("}\n")]);
        var e = SingleError(ClusterLoader.LoadPaths([latin1]));
        Assert.Equal($"{latin1}(3,21): error FP0063: byte 0xE9 at offset 51 is not UTF-8; a manifest must be UTF-8 text", e.ToString());

        var utf16 = Path.Combine(dir, "utf16.yaml");
        File.WriteAllText(utf16, "apiVersion: v1\n", Encoding.Unicode);
        Assert.Equal("FP0063", SingleError(ClusterLoader.LoadPaths([utf16])).Id);

        var bom = Path.Combine(dir, "bom.yaml");
        File.WriteAllText(bom, "apiVersion: v1\nkind: Namespace\nmetadata: {name: café-x}\n".Replace("é", "e"), new UTF8Encoding(true));
        Assert.Equal(new[] { "ecafe-x".Substring(1) }, ClusterLoader.LoadPaths([bom]).Cluster!.Namespaces.Where(n => n == "cafe-x"));
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData(new byte[] { 0x41, 0xC0, 0x80 }, 1)]          // overlong NUL
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, 0)]          // a surrogate encoded
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, 0)]    // past U+10FFFF
    [InlineData(new byte[] { 0x41, 0xE2, 0x82 }, 1)]          // cut short
    [InlineData(new byte[] { 0x41, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80 }, -1)] // A € 😀: valid
    public void Utf8_check_follows_rfc_3629(byte[] bytes, int firstBad)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("fastpath-utf8-").FullName, "m.yaml");
        var prefix = Encoding.ASCII.GetBytes("# ");
        File.WriteAllBytes(path, [.. prefix, .. bytes, (byte)'\n']);
        var r = ClusterLoader.LoadPaths([path]);
        File.Delete(path);
        if (firstBad < 0) Assert.DoesNotContain(r.Diagnostics, d => d.Id == "FP0063");
        else Assert.EndsWith($"byte 0x{bytes[firstBad]:X2} at offset {prefix.Length + firstBad} is not UTF-8; a manifest must be UTF-8 text", SingleError(r).Message);
    }
}
