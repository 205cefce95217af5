using System.Linq;
using System.Security.Cryptography;
using System.Text;
using FastPath.Model.Loading;
using Xunit;

namespace FastPath.Tests.Loading;

/// <summary>
/// The content hash is defined on the joined text (texts in ordinal order, each followed by NUL, then the Corefile);
/// it is computed in 16K-character slices, so a slice boundary must change nothing, not even inside a surrogate pair.
/// </summary>
public sealed class ManifestHashTests
{
    private static string Joined(string[] texts, string corefile)
    {
        var sb = new StringBuilder();
        foreach (var t in texts.OrderBy(t => t, System.StringComparer.Ordinal)) sb.Append(t).Append('\0');
        sb.Append(corefile);
        using var sha = SHA256.Create();
        return string.Concat(sha.ComputeHash(Encoding.UTF8.GetBytes(sb.ToString())).Select(b => b.ToString("x2")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16 * 1024 - 1)] // a pair's high surrogate is the slice's last character
    [InlineData(16 * 1024)]
    [InlineData(40_000)]
    public void Slices_hash_as_the_joined_text(int before)
    {
        var big = new string('a', before) + "kind: Service # 😀 é ü\n" + new string('b', 20_000) + "\uD83D"; // ends in a lone surrogate
        var texts = new[] { "z: 1\n", big, "apiVersion: v1\n\uDE00 lone low\n", "" };
        Assert.Equal(Joined(texts, ".:53 {\n  kubernetes\n}\n"), ManifestHash.Compute(texts, ".:53 {\n  kubernetes\n}\n"));
    }

    [Fact]
    public void Order_of_the_texts_does_not_matter_but_their_content_does()
    {
        var h = ManifestHash.Compute(["a", "b"], "c");
        Assert.Equal(h, ManifestHash.Compute(["b", "a"], "c"));
        Assert.NotEqual(h, ManifestHash.Compute(["ab", ""], "c"));
        Assert.NotEqual(h, ManifestHash.Compute(["a", "b"], "d"));
    }
}
