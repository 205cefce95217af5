using System;
using System.Collections.Generic;
using System.Text;

namespace FastPath.Model.Emit;

/// <summary>An indenting text writer that always writes '\n', so generated text is the same on every platform.</summary>
public sealed class SourceWriter
{
    /// <summary>Emitted lines stay within this many characters, so generated code reads without scrolling.</summary>
    public const int MaxLineLength = 120;

    /// <summary>Text written since the last block; earlier text and blocks wait in <see cref="_parts"/>.</summary>
    private StringBuilder _sb = new();
    private readonly List<object> _parts = new();
    private int _indent;

    /// <summary>
    /// Text whose length is known before it is written (a table's items): it goes straight into the final string, so a
    /// table of hundreds of megabytes of text is written once instead of into a buffer and then copied.
    /// </summary>
    internal abstract class Block
    {
        public abstract int Length { get; }
        public abstract void Write(Span<char> dest);
    }

    public int IndentWidth => _indent * 4;

    public SourceWriter Line(string text = "")
    {
        if (text.Length > 0) _sb.Append(' ', _indent * 4).Append(text);
        _sb.Append('\n');
        return this;
    }

    public SourceWriter Open(string text)
    {
        Line(text);
        Line("{");
        _indent++;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    /// <summary>
    /// Starts a line at the current indent and hands back the text to append to, for writers of long runs of lines
    /// (table literals) that would otherwise build a string per line; <see cref="EndLine"/> ends it.
    /// </summary>
    internal StringBuilder BeginLine() => _sb.Append(' ', _indent * 4);

    internal void EndLine() => _sb.Append('\n');

    /// <summary>Whole lines written later, into the final string, each already indented and ended.</summary>
    internal void Append(Block lines)
    {
        _parts.Add(_sb);
        _parts.Add(lines);
        _sb = new StringBuilder();
    }

    public void Indent() => _indent++;
    public void Outdent() => _indent--;

    /// <summary>An XML doc summary, on one line when it fits, else wrapped at word boundaries.</summary>
    public SourceWriter DocSummary(string xmlText)
    {
        var one = "/// <summary>" + xmlText + "</summary>";
        if (IndentWidth + one.Length <= MaxLineLength) return Line(one);
        Line("/// <summary>");
        foreach (var l in Wrap(xmlText, MaxLineLength - IndentWidth - 4)) Line("/// " + l);
        return Line("/// </summary>");
    }

    /// <summary>A line comment, wrapped at word boundaries; continuation lines are indented under the first.</summary>
    public SourceWriter CommentLines(string text, string continuation = "    ")
    {
        var lines = Wrap(text, MaxLineLength - IndentWidth - 3);
        for (int i = 0; i < lines.Count; i++) Line("// " + (i == 0 ? "" : continuation) + lines[i]);
        return this;
    }

    /// <summary>Words of <paramref name="text"/> in lines of at most <paramref name="width"/> characters (a longer word stands alone).</summary>
    public static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width) { lines.Add(line.ToString()); line.Clear(); }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0 || lines.Count == 0) lines.Add(line.ToString());
        return lines;
    }

    /// <summary>The whole text, allocated once at its final length and written in place.</summary>
    public override string ToString()
    {
        long total = _sb.Length;
        foreach (var part in _parts) total += part is StringBuilder sb ? sb.Length : ((Block)part).Length;
        if (total > int.MaxValue) throw new InvalidOperationException($"generated source of {total} characters is over a string's limit");
#if NET
        return string.Create((int)total, this, static (dest, w) => w.WriteTo(dest));
#else
        var chars = new char[total];
        WriteTo(chars);
        return new string(chars);
#endif
    }

    private void WriteTo(Span<char> dest)
    {
        int at = 0;
        foreach (var part in _parts)
        {
            if (part is StringBuilder sb) at += CopyText(sb, dest.Slice(at));
            else
            {
                var block = (Block)part;
                block.Write(dest.Slice(at, block.Length));
                at += block.Length;
            }
        }
        CopyText(_sb, dest.Slice(at));
    }

    private static int CopyText(StringBuilder sb, Span<char> dest)
    {
#if NET
        sb.CopyTo(0, dest, sb.Length);
#else
        var chunk = new char[Math.Min(sb.Length, 8192)];
        for (int at = 0; at < sb.Length; at += chunk.Length)
        {
            int n = Math.Min(chunk.Length, sb.Length - at);
            sb.CopyTo(at, chunk, 0, n);
            chunk.AsSpan(0, n).CopyTo(dest.Slice(at));
        }
#endif
        return sb.Length;
    }

    /// <summary>A C# string literal (regular, escaped).</summary>
    public static string Literal(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20 || c > 0x7E) sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>
    /// A long string as a concatenation of literals, one source line each (split after each newline and at
    /// <paramref name="chunk"/> characters), so embedded text keeps the line limit.
    /// </summary>
    public static List<string> LiteralLines(string s, int chunk = 80)
    {
        var parts = new List<string>();
        int start = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\n' || i - start + 1 >= chunk) { parts.Add(Literal(s.Substring(start, i - start + 1))); start = i + 1; }
        }
        if (start < s.Length || parts.Count == 0) parts.Add(Literal(s.Substring(start)));
        return parts;
    }

    /// <summary>Comment text on one line: no newlines, no end of comment.</summary>
    public static string Comment(string s) => s.Replace("\r", " ").Replace("\n", " ");
}
