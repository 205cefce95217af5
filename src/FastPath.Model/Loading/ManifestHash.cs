using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;

namespace FastPath.Model.Loading;

/// <summary>
/// The cluster's content hash: SHA-256 of the UTF-8 of every manifest text in ordinal order, each followed by a NUL,
/// then the Corefile. Encoded and hashed in slices: joining the texts first cost a 10,000-Service load three
/// large-object copies of its input (the builder's chars, the joined string, its UTF-8 bytes; ~65 MB and a gen2
/// collection each time).
/// </summary>
internal static class ManifestHash
{
    private const int Slice = 16 * 1024;

    public static string Compute(IEnumerable<string> texts, string corefile)
    {
        var sorted = new List<string>(texts);
        sorted.Sort(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // One encoder across all the text: a surrogate pair cut by a slice boundary, or a lone surrogate at a text's
        // end, encodes exactly as in the single joined string the hash is defined on.
        var encoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetEncoder();
        var chars = new char[Slice];
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(Slice)];
        foreach (var t in sorted)
        {
            Append(t);
            Append("\0");
        }
        Append(corefile);
        int tail = encoder.GetBytes(chars, 0, 0, bytes, 0, flush: true);
        hash.AppendData(bytes, 0, tail);
        var sb = new StringBuilder(64);
        foreach (var b in hash.GetHashAndReset()) sb.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        return sb.ToString();

        void Append(string s)
        {
            for (int at = 0; at < s.Length; at += Slice)
            {
                int n = Math.Min(Slice, s.Length - at);
                s.CopyTo(at, chars, 0, n);
                int written = encoder.GetBytes(chars, 0, n, bytes, 0, flush: false);
                hash.AppendData(bytes, 0, written);
            }
        }
    }
}
