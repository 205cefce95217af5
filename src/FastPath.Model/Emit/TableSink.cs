using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Threading.Tasks;
using System.Text;

namespace FastPath.Model.Emit;

/// <summary>
/// Where the emitted tables' bytes go: <c>static ReadOnlySpan&lt;ulong&gt;</c> literals in the source (the compiler
/// keeps them in the assembly's data), deflated first when they are big, or manifest resources for the run-time
/// compiler, which copies resources faster than it parses literals.
/// </summary>
/// <param name="deflateFrom">Tables of this many bytes or more are deflated (tests lower it to cover every length).</param>
internal sealed class TableSink(bool asResources, int deflateFrom = TableSink.DeflateFrom)
{
    /// <summary>
    /// A big cluster's tables are a hundred megabytes that deflate to a fifth: the source's text, the time to write it
    /// (most of it the first touch of the string's pages) and the compiler's parse shrink with it. Small tables, such
    /// as the demo's, stay plain words a reader can follow.
    /// </summary>
    public const int DeflateFrom = 64 * 1024;

    /// <summary>Each table's literal bytes: the table's own, or its deflated form, made on another thread meanwhile.</summary>
    private readonly List<(string Name, string Description, Task<byte[]> Bytes, bool AsText, int Length)> _literals = new();

    private const int MaxTextBytes = 64 * 1024;

    public List<KeyValuePair<string, byte[]>> Resources { get; } = new();

    /// <summary>Whether some table is deflated, so the source needs its <c>Inflate</c> helper.</summary>
    public bool AnyDeflated { get; private set; }

    /// <summary>An expression that yields the table as a <c>byte[]</c> at run time.</summary>
    /// <param name="asText">Names: written as UTF-8 string literals, one name a line, when every byte is ASCII.</param>
    public string Expression(string name, string description, byte[] bytes, bool asText = false)
    {
        if (asResources)
        {
            var resource = "FastPath.Tables." + name;
            Resources.Add(new KeyValuePair<string, byte[]>(resource, bytes));
            return "ReadResource(\"" + resource + "\")";
        }
        // Text stays for tables a reader would scan (a few thousand names); a long chain of concatenated literals
        // costs the compiler more than a byte array does.
        bool text = asText && bytes.Length <= MaxTextBytes && System.Array.TrueForAll(bytes, b => b < 0x80);
        if (text || bytes.Length < deflateFrom)
        {
            _literals.Add((name, description, Task.FromResult(bytes), text, bytes.Length));
            return text ? name + "Table.ToArray()" : "Bytes(" + name + "Table, " + Num(bytes.Length) + ")";
        }
        // The deflated length is not needed here (a deflate stream ends itself; the last word's padding is not read),
        // so the tables deflate in parallel with each other and with the rest of the emit.
        AnyDeflated = true;
        _literals.Add((name, description, Task.Run(() => Deflate(bytes)), false, bytes.Length));
        return "Inflate(" + name + "Table, " + Num(bytes.Length) + ")";
    }

    /// <summary>
    /// Raw deflate at the fastest level: the same bytes for the same input on a given runtime (its zlib), which is what
    /// the generator's and the compiler's caches compare.
    /// </summary>
    private static byte[] Deflate(byte[] bytes)
    {
        using var output = new MemoryStream(bytes.Length / 4 + 64);
        using (var deflate = new DeflateStream(output, CompressionLevel.Fastest, leaveOpen: true)) deflate.Write(bytes, 0, bytes.Length);
        return output.ToArray();
    }

    /// <summary>Writes each literal table with a comment saying what it holds, its bytes wrapped to the line limit.</summary>
    public void WriteLiterals(SourceWriter w)
    {
        foreach (var (name, description, literal, asText, length) in _literals)
        {
            var bytes = literal.GetAwaiter().GetResult();
            w.Line();
            var size = length == bytes.Length ? $"{Num(length)} bytes" : $"{Num(length)} bytes, deflated to {Num(bytes.Length)}";
            w.DocSummary($"{name} ({size}): {description}");
            if (asText)
            {
                WriteText(w, name, bytes);
                continue;
            }
            // Words, not bytes: an eighth of the items for the compiler to parse (Bytes reads them back, little-endian).
            w.Line($"private static global::System.ReadOnlySpan<ulong> {name}Table => new ulong[]");
            w.Line("{");
            w.Indent();
            WriteWords(w, bytes);
            w.Outdent();
            w.Line("};");
        }
    }

    /// <summary>Each byte as it stands inside a <c>u8</c> literal.</summary>
    private static readonly string[] TextItems = MakeTable(b => b switch
    {
        0 => "\\0",
        (byte)'"' => "\\\"",
        (byte)'\\' => "\\\\",
        >= 0x20 and < 0x7F => ((char)b).ToString(),
        _ => "\\u00" + b.ToString("x2", CultureInfo.InvariantCulture),
    });

    private static string[] MakeTable(System.Func<byte, string> item)
    {
        var table = new string[256];
        for (int b = 0; b < 256; b++) table[b] = item((byte)b);
        return table;
    }

    private static void WriteWords(SourceWriter w, byte[] bytes) => w.Append(new WordBlock(bytes, w.IndentWidth));

    /// <summary>A table's word items, written straight into the final string.</summary>
    private sealed class WordBlock(byte[] bytes, int indent) : SourceWriter.Block
    {
        private readonly int _length = checked((int)WordLines.Length(WordLines.WordCount(bytes.Length), indent));

        public override int Length => _length;

        public override void Write(System.Span<char> dest) => WordLines.Write(bytes, indent, dest);
    }

    /// <summary>
    /// ASCII bytes as concatenated <c>u8</c> literals: a line ends after each name (a zero byte followed by a non-zero
    /// one) or at the line limit. Printable characters stand as themselves, the rest as <c>\0</c> or <c>\u00XX</c>.
    /// </summary>
    private static void WriteText(SourceWriter w, string name, byte[] bytes)
    {
        w.Line($"private static global::System.ReadOnlySpan<byte> {name}Table =>");
        w.Indent();
        if (bytes.Length == 0) w.Line("\"\"u8;");
        int limit = SourceWriter.MaxLineLength - w.IndentWidth - "\"\"u8 +".Length;
        var line = new StringBuilder();
        for (int i = 0; i < bytes.Length; i++)
        {
            var c = TextItems[bytes[i]];
            if (line.Length + c.Length > limit) { w.Line("\"" + line + "\"u8 +"); line.Clear(); }
            line.Append(c);
            bool last = i == bytes.Length - 1;
            if (last) w.Line("\"" + line + "\"u8;");
            else if (bytes[i] == 0 && bytes[i + 1] != 0) { w.Line("\"" + line + "\"u8 +"); line.Clear(); }
        }
        w.Outdent();
    }

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);
}
