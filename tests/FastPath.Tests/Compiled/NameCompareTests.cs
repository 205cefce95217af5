using System;
using System.Text;
using FastPath.Compiled;
using Xunit;

namespace FastPath.Tests.Compiled;

/// <summary>The lookup's inline compare answers as <see cref="Ascii.EqualsIgnoreCase(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> does.</summary>
public class NameCompareTests
{
    // The bytes where a case fold goes wrong: either side of A–Z and a–z, the length bytes of wire names, non-ASCII.
    private static readonly byte[] Edges = Encoding.Latin1.GetBytes("@AZ[`az{09-._\0\u0001\u003f\u007f\u0080\u00c1\u00e1\u00ff");

    [Fact]
    public void Agrees_with_Ascii_EqualsIgnoreCase_at_every_length_and_edge_byte()
    {
        var rnd = new Random(16);
        for (int round = 0; round < 20_000; round++)
        {
            int n = rnd.Next(0, 41);
            var a = new byte[n];
            for (int i = 0; i < n; i++) a[i] = rnd.Next(3) == 0 ? Edges[rnd.Next(Edges.Length)] : (byte)rnd.Next('a', 'z' + 1);
            var b = (byte[])a.Clone();
            // Flip the case of some letters, and sometimes change one byte (to an edge byte) or the length.
            for (int i = 0; i < n; i++) if (rnd.Next(2) == 0 && char.IsAsciiLetter((char)b[i])) b[i] ^= 0x20;
            if (n > 0 && rnd.Next(3) == 0) b[rnd.Next(n)] = Edges[rnd.Next(Edges.Length)];
            if (rnd.Next(20) == 0) b = b.AsSpan(0, Math.Max(0, n - 1)).ToArray();
            Assert.True(Ascii.EqualsIgnoreCase(a, b) == NameCompare.EqualsIgnoreCase(a, b),
                $"'{Encoding.Latin1.GetString(a)}' vs '{Encoding.Latin1.GetString(b)}'");
            Assert.True(Ascii.EqualsIgnoreCase(a, b) == NameCompare.EqualsIgnoreCaseShort(a, b),
                $"short: '{Encoding.Latin1.GetString(a)}' vs '{Encoding.Latin1.GetString(b)}'");
        }
    }

    [Fact]
    public void A_service_name_matches_in_any_case_and_not_with_one_byte_off()
    {
        var key = "web.bench.svc.cluster.local"u8;
        Assert.True(NameCompare.EqualsIgnoreCase("WEB.Bench.svc.CLUSTER.local"u8, key));
        var notAscii = Encoding.Latin1.GetBytes("web.bench.svc.cluster.loc\u00e1l");
        Assert.False(NameCompare.EqualsIgnoreCase(notAscii, notAscii)); // as Ascii.EqualsIgnoreCase: not ASCII, not equal
        Assert.False(NameCompare.EqualsIgnoreCase("web.bench.svc.cluster.lokal"u8, key));
        Assert.False(NameCompare.EqualsIgnoreCase("web@bench.svc.cluster.local"u8, "web`bench.svc.cluster.local"u8));
    }
}
