using System;
using System.IO;
using System.Linq;
using System.Runtime.Loader;
using FastPath.Compiled;
using FastPath.Compiler;
using FastPath.Model.Emit;
using Xunit;

namespace FastPath.Tests.Emit;

/// <summary>
/// Tables are emitted as <c>ulong</c> words (eight bytes each, little-endian, the last one zero-padded) and read back
/// as bytes by <see cref="TableWords"/>: what goes in must come out, at every length and on either byte order.
/// </summary>
public class TableWordsTests
{
    private static readonly int[] Lengths = [0, 1, 2, 7, 8, 9, 15, 16, 17, 39, 40, 41, 1000, 4099];

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void Word_items_are_the_bytes_little_endian_with_the_tail_padded_with_zeros()
    {
        var bytes = Enumerable.Range(1, 9).Select(i => (byte)i).ToArray();
        var text = new char[WordLines.Length(WordLines.WordCount(bytes.Length), 4)];
        WordLines.Write(bytes, 4, text);
        Assert.Equal("    0x0807060504030201, 0x0000000000000009,\n", new string(text));
    }

    [Fact]
    public void Word_lines_fill_the_line_limit_and_wrap_after_it()
    {
        var bytes = RandomBytes(8 * 13, seed: 3);
        var text = new char[WordLines.Length(WordLines.WordCount(bytes.Length), 16)];
        WordLines.Write(bytes, 16, text);
        var lines = new string(text).Split('\n')[..^1];
        Assert.Equal([5, 5, 3], lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length));
        Assert.All(lines, l => Assert.InRange(l.Length, 1, SourceWriter.MaxLineLength));
        Assert.Equal(16 + 5 * 20 - 1, lines[0].Length);
    }

    [Theory]
    [InlineData(TableSink.DeflateFrom)]
    [InlineData(0)] // every table deflated, down to the empty one
    public void Emitted_word_tables_compile_and_read_back_every_byte_at_every_length(int deflateFrom)
    {
        // Random bytes do not deflate; repeated ones, as real tables' names and rows, do: both forms are covered.
        var tables = Lengths.Select((n, i) => i % 2 == 0 ? RandomBytes(n, seed: i) : Enumerable.Range(0, n).Select(b => (byte)(b % 7)).ToArray())
            .Append(Enumerable.Range(0, 200_000).Select(b => (byte)(b % 251 / 3)).ToArray()).ToArray();
        var w = new SourceWriter();
        var sink = new TableSink(asResources: false, deflateFrom);
        w.Open("namespace FastPath.TableTest");
        w.Open("public static class Tables");
        w.Open("private static class Nested"); // the generated tables' depth: namespace, class, data class
        for (int i = 0; i < tables.Length; i++) w.Line($"public static byte[] Get{i}() => {sink.Expression("T" + i, "test bytes", tables[i])};");
        w.Line("internal static byte[] Bytes(global::System.ReadOnlySpan<ulong> words, int length) =>");
        w.Line("    global::FastPath.Compiled.TableWords.ToBytes(words, length);");
        w.Line("internal static byte[] Inflate(global::System.ReadOnlySpan<ulong> words, int length) =>");
        w.Line("    global::FastPath.Compiled.TableWords.Inflate(words, length);");
        sink.WriteLiterals(w);
        Assert.True(sink.AnyDeflated);

        w.Close();
        for (int i = 0; i < tables.Length; i++) w.Line($"public static byte[] Get{i}() => Nested.Get{i}();");
        w.Close();
        w.Close();
        var source = w.ToString();
        Assert.Equal(deflateFrom == 0 ? tables.Length : 1, source.Split("=> Inflate(T").Length - 1);
        Assert.DoesNotContain('\0', source);
        Assert.All(source.Split('\n'), l => Assert.True(l.Length <= SourceWriter.MaxLineLength, l));

        var context = new AssemblyLoadContext("table-words", isCollectible: true);
        try
        {
            var type = context.LoadFromStream(new MemoryStream(ClusterCompiler.Build(source))).GetType("FastPath.TableTest.Tables", throwOnError: true)!;
            for (int i = 0; i < tables.Length; i++)
                Assert.Equal(tables[i], (byte[])type.GetMethod("Get" + i)!.Invoke(null, null)!);
        }
        finally { context.Unload(); }
    }

    [Fact]
    public void A_big_endian_host_reads_the_same_bytes_as_a_little_endian_one()
    {
        Span<byte> spelled = stackalloc byte[10];
        TableWords.CopyLittleEndian([0x0807060504030201, 0x0A09], spelled);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (byte)i).ToArray(), spelled.ToArray());
        foreach (var n in Lengths)
        {
            var words = Enumerable.Range(0, WordLines.WordCount(n)).Select(i => WordLines.Word(RandomBytes(n, seed: n), i)).ToArray();
            var copied = new byte[n];
            TableWords.CopyLittleEndian(words, copied);
            Assert.Equal(RandomBytes(n, seed: n), copied);
            Assert.Equal(copied, TableWords.ToBytes(words, n));
        }
    }

    [Fact]
    public void A_deflated_table_that_inflates_to_another_length_is_refused()
    {
        var bytes = Enumerable.Range(0, 1000).Select(b => (byte)(b % 5)).ToArray();
        var w = new SourceWriter();
        var sink = new TableSink(asResources: false, deflateFrom: 0);
        Assert.Equal("Inflate(TTable, 1000)", sink.Expression("T", "test", bytes));
        sink.WriteLiterals(w);
        var words = w.ToString().Split('\n').Where(l => l.TrimStart().StartsWith("0x", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(item => Convert.ToUInt64(item.TrimEnd(','), 16)).ToArray();
        Assert.Equal(bytes, TableWords.Inflate(words, 1000));
        Assert.Throws<System.IO.InvalidDataException>(() => TableWords.Inflate(words, 999));
        Assert.Throws<System.IO.EndOfStreamException>(() => TableWords.Inflate(words, 1001));
    }

    [Fact]
    public void Words_that_cannot_hold_exactly_the_length_are_refused()
    {
        Assert.Throws<ArgumentException>(() => TableWords.ToBytes(new ulong[2], 17));
        Assert.Throws<ArgumentException>(() => TableWords.ToBytes(new ulong[2], 8));
        Assert.Throws<ArgumentException>(() => TableWords.ToBytes(new ulong[1], -1));
        Assert.Equal(new byte[9], TableWords.ToBytes(new ulong[2], 9));
    }
}
