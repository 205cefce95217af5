using System;
using System.Buffers.Binary;

namespace FastPath.Model.Emit;

/// <summary>
/// A table's bytes as the items of a <c>ulong[]</c> literal: each eight bytes read as a little-endian word (the last
/// one zero-padded), written <c>0x0123456789ABCDEF,</c> with a space between items and as many a line as the line
/// limit allows. Every item has the same width, so the text's length is known before it is written.
/// </summary>
internal static class WordLines
{
    /// <summary>"0x", sixteen digits, ",".</summary>
    public const int ItemLength = 19;

    private const string Digits = "0123456789ABCDEF";

    /// <summary>Words per line at <paramref name="indent"/>: items and the spaces between them fit the line limit.</summary>
    public static int PerLine(int indent) => Math.Max(1, (SourceWriter.MaxLineLength - indent + 1) / (ItemLength + 1));

    public static int WordCount(int byteCount) => (byteCount + 7) / 8;

    /// <summary>The characters of <paramref name="words"/> words in lines at <paramref name="indent"/>, newlines included.</summary>
    public static long Length(int words, int indent)
    {
        int perLine = PerLine(indent);
        long full = words / perLine, rest = words % perLine;
        return full * LineLength(perLine, indent) + (rest > 0 ? LineLength((int)rest, indent) : 0);
    }

    private static int LineLength(int items, int indent) => indent + items * (ItemLength + 1);

    /// <summary>The little-endian word at <paramref name="index"/>; bytes past the table's end read as zero.</summary>
    public static ulong Word(ReadOnlySpan<byte> bytes, int index)
    {
        int at = index * 8;
        if (bytes.Length - at >= 8) return BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(at));
        ulong word = 0;
        for (int i = bytes.Length - 1; i >= at; i--) word = (word << 8) | bytes[i];
        return word;
    }

    /// <summary>Writes the lines into <paramref name="dest"/>, exactly <see cref="Length"/> characters.</summary>
    public static void Write(ReadOnlySpan<byte> bytes, int indent, Span<char> dest)
    {
        int words = WordCount(bytes.Length), perLine = PerLine(indent), at = 0;
        for (int first = 0; first < words; first += perLine)
        {
            dest.Slice(at, indent).Fill(' ');
            at += indent;
            int end = Math.Min(words, first + perLine);
            for (int i = first; i < end; i++)
            {
                WriteItem(Word(bytes, i), dest.Slice(at, ItemLength));
                at += ItemLength;
                dest[at++] = i == end - 1 ? '\n' : ' ';
            }
        }
    }

    private static void WriteItem(ulong word, Span<char> item)
    {
        item[0] = '0';
        item[1] = 'x';
        for (int i = 0; i < 16; i++) item[2 + i] = Digits[(int)(word >> (60 - 4 * i)) & 0xF];
        item[18] = ',';
    }
}
