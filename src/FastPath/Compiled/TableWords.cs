using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace FastPath.Compiled;

/// <summary>
/// Reads the tables generated code carries as <c>ReadOnlySpan&lt;ulong&gt;</c> literals: eight bytes a word, so the
/// compiler parses an eighth of the items a byte literal has, and the words stay in the assembly's data.
/// </summary>
public static class TableWords
{
    /// <summary>
    /// The table's first <paramref name="length"/> bytes, each word little-endian (byte 0 is a word's low byte), on a
    /// host of either byte order; the last word's bytes past <paramref name="length"/> are padding.
    /// </summary>
    public static byte[] ToBytes(ReadOnlySpan<ulong> words, int length)
    {
        if (length < 0 || (length + 7) / 8 != words.Length)
            throw new ArgumentException($"{words.Length} words cannot hold exactly {length} bytes", nameof(length));
        var bytes = new byte[length];
        if (BitConverter.IsLittleEndian) MemoryMarshal.AsBytes(words).Slice(0, length).CopyTo(bytes);
        else CopyLittleEndian(words, bytes);
        return bytes;
    }

    /// <summary>
    /// A table the emitter deflated (big ones: a fifth of the source text to write and parse): its words hold raw
    /// deflate that inflates to exactly <paramref name="length"/> bytes. The stream marks its own end, so the last
    /// word's padding is never read.
    /// </summary>
    public static byte[] Inflate(ReadOnlySpan<ulong> words, int length)
    {
        var bytes = new byte[length];
        using var inflate = new DeflateStream(new MemoryStream(ToBytes(words, words.Length * 8)), CompressionMode.Decompress);
        inflate.ReadExactly(bytes);
        if (inflate.ReadByte() != -1) throw new InvalidDataException($"a deflated table holds more than its {length} bytes");
        return bytes;
    }

    /// <summary>What a big-endian host does: each word written low byte first, the last one cut at the table's end.</summary>
    internal static void CopyLittleEndian(ReadOnlySpan<ulong> words, Span<byte> bytes)
    {
        Span<byte> last = stackalloc byte[8];
        for (int i = 0; i < words.Length; i++)
        {
            int at = i * 8;
            if (bytes.Length - at >= 8) BinaryPrimitives.WriteUInt64LittleEndian(bytes.Slice(at), words[i]);
            else
            {
                BinaryPrimitives.WriteUInt64LittleEndian(last, words[i]);
                last.Slice(0, bytes.Length - at).CopyTo(bytes.Slice(at));
            }
        }
    }
}
