using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Xunit;
using static FastPath.Tests.Generator.GeneratorHarness;

namespace FastPath.Tests.Golden;

/// <summary>
/// The demo cluster's generated source, checked in next to this file, so any change to emitted code shows in review.
/// After an intended change, rewrite it with:
/// <c>FASTPATH_UPDATE_GOLDEN=1 dotnet test tests/FastPath.Tests -c Release --filter "FullyQualifiedName~GoldenFileTests"</c>
/// and commit the new Demo.FastPath.g.cs with the change that caused it.
/// </summary>
public class GoldenFileTests
{
    private const string UpdateVariable = "FASTPATH_UPDATE_GOLDEN";

    [Fact]
    public void Demo_generated_source_matches_the_golden_file()
    {
        var generated = GenerateDemo();
        var path = GoldenPath();
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1") File.WriteAllText(path, generated);
        Assert.True(File.Exists(path), $"no golden file at {path}; run the tests once with {UpdateVariable}=1");
        var expected = File.ReadAllText(path).Replace("\r\n", "\n");
        if (expected != generated)
        {
            var a = expected.Split('\n');
            var b = generated.Split('\n');
            int line = 0;
            while (line < a.Length && line < b.Length && a[line] == b[line]) line++;
            Assert.Fail($"generated source differs from {path} at line {line + 1}:\n" +
                $"  golden:    {(line < a.Length ? a[line] : "<end>")}\n  generated: {(line < b.Length ? b[line] : "<end>")}\n" +
                $"If the change is intended, run the tests with {UpdateVariable}=1 and commit the file.");
        }
    }

    [Fact]
    public void Generated_lines_fit_in_120_characters_and_carry_no_base64_blobs()
    {
        var lines = GenerateDemo().Split('\n');
        var tooLong = lines.Select((l, i) => (Line: i + 1, l.Length)).Where(x => x.Length > 120).ToList();
        Assert.True(tooLong.Count == 0, "lines over 120 characters: " + string.Join(", ", tooLong.Select(x => $"{x.Line} ({x.Length})")));
        Assert.DoesNotContain(lines, l => l.Contains("\"u8)", StringComparison.Ordinal) || l.Contains("Base64", StringComparison.Ordinal));
        // Each table says what it holds; the data are span literals, names readable as text.
        Assert.Contains(lines, l => l.Contains("/// <summary>Keys (", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("private static global::System.ReadOnlySpan<ulong> EntriesTable => new ulong[]", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Trim() == "\"10-244-1-10.my-service.default.svc.cluster.local\\0\\0\"u8 +");
    }

    private static string GenerateDemo()
    {
        var (_, diagnostics, driver) = Run(Compilation(DemoDeclaration), Demo());
        Assert.Empty(diagnostics);
        return driver.GetRunResult().GeneratedTrees.Single().GetText().ToString();
    }

    private static string GoldenPath([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Demo.FastPath.g.cs");
}
