using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using FastPath.Model.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace FastPath.Model.Loading;

/// <summary>
/// The one pass over a manifest: streams YAML events, checks them against <see cref="ManifestLimits"/> (a hostile
/// file — a billion-laughs alias bomb, 10,000 nested brackets, a 100 MB scalar, binary bytes, duplicate keys — is
/// refused at the event that crosses a limit) and builds the documents' compact <see cref="YamlValue"/> trees from the
/// same events: no event list is kept and no YamlDotNet representation tree is built.
/// </summary>
internal static class ManifestScanner
{
    /// <summary>The documents of a file that passed every limit, or null after reporting why it did not.</summary>
    /// <param name="fastReader">
    /// Try <see cref="FastYamlReader"/> first (the usual case); false reads with YamlDotNet only, as the equivalence
    /// tests and the benchmark's baseline do.
    /// </param>
    public static IReadOnlyList<YamlValue>? Scan(ManifestText file, ManifestLimits limits, DiagnosticBag bag, bool fastReader = true)
    {
        if (!CheckSize(file.Path, file.Text, limits, bag) || !CheckCharacters(file.Path, file.Text, bag)) return null;
        // The fast reader accepts only what it reads exactly as the YamlDotNet pass below would, limits included, and
        // declines the rest untouched: any file with an error or anything unusual is still read, and reported, there.
        if (fastReader && FastYamlReader.TryRead(file.Text, limits) is { } fast) return fast;
        return ScanEvents(file, limits, bag);
    }

    /// <summary>
    /// The documents of a file that passes every limit, handed to <paramref name="onDocument"/> one by one so that
    /// each can be read and dropped before the next is built: a load then keeps its model, not every node of the file.
    /// When the fast reader declines after handing some out, <paramref name="restart"/> tells the caller to forget
    /// them, and the YamlDotNet pass hands out all documents again (or none, after reporting why not).
    /// </summary>
    /// <param name="onDocument">
    /// Gets each document, and whether items of its root's <c>items</c> list went to <paramref name="onItem"/>
    /// instead of into it; it may refuse such a document (one that is no <c>kind: List</c>), and the file is read
    /// again with every document whole.
    /// </param>
    /// <param name="onItem">Gets each item of a root mapping's <c>items</c> list with its index, as soon as it is read.</param>
    public static void Stream(ManifestText file, ManifestLimits limits, DiagnosticBag bag,
        Func<YamlValue, bool, bool> onDocument, Action<YamlValue, int> onItem, Action restart)
    {
        if (!CheckSize(file.Path, file.Text, limits, bag) || !CheckCharacters(file.Path, file.Text, bag)) return;
        bool handedOut = false, items = false, anyItems = false;
        if (FastYamlReader.TryRead(file.Text, limits,
                d => { handedOut = true; bool had = items; items = false; return onDocument(d, had); },
                (item, i) => { handedOut = items = anyItems = true; onItem(item, i); }))
            return;
        if (handedOut) restart();
        if (anyItems)
        {
            // Declined, or refused for a document that was no List: read it with whole documents.
            handedOut = false;
            if (FastYamlReader.TryRead(file.Text, limits, d => { handedOut = true; return onDocument(d, false); })) return;
            if (handedOut) restart();
        }
        if (ScanEvents(file, limits, bag) is { } documents)
            foreach (var d in documents) onDocument(d, false);
    }

    private static IReadOnlyList<YamlValue>? ScanEvents(ManifestText file, ManifestLimits limits, DiagnosticBag bag)
    {
        // The scanner reads a whole scalar before it yields it; a budget on the characters read per event stops a
        // huge scalar after MaxScalarLength characters instead of after all of it.
        var reader = new BudgetReader(file.Text);
        var parser = new Parser(reader);
        var documents = new List<YamlValue>();
        var frames = new Stack<Frame>();
        var anchorSizes = new Dictionary<string, long>(StringComparer.Ordinal);
        var anchors = new Dictionary<string, YamlValue>(StringComparer.Ordinal);
        long nodes = 0, aliasNodes = 0;
        bool ok = true;
        int lastEnd = 0;
        try
        {
            while (true)
            {
                reader.StartEvent(limits.MaxScalarLength + 65536L);
                if (!parser.MoveNext()) break;
                var e = parser.Current!;
                lastEnd = (int)e.End.Index;
                switch (e)
                {
                    case DocumentStart:
                        if (documents.Count >= limits.MaxDocuments)
                            return Over(bag, file.Path, e.Start, $"more than {limits.MaxDocuments} YAML documents", limits.MaxDocuments, nameof(ManifestLimits.MaxDocuments));
                        break;
                    case Scalar s:
                        if (s.Value.Length > limits.MaxScalarLength)
                            return Over(bag, file.Path, e.Start, $"a scalar of {s.Value.Length} characters", limits.MaxScalarLength + " characters", nameof(ManifestLimits.MaxScalarLength));
                        nodes++;
                        ok &= CheckKey(frames, s, file.Path, bag);
                        var scalar = YamlValue.Scalar(s.Value, s.Style, (int)s.Start.Line, (int)s.Start.Column);
                        if (!s.Anchor.IsEmpty) { anchorSizes[s.Anchor.Value] = 1; anchors[s.Anchor.Value] = scalar; }
                        Attach(frames, documents, scalar);
                        break;
                    case AnchorAlias a:
                        long size = anchorSizes.TryGetValue(a.Value.Value, out var n) ? n : 1;
                        aliasNodes += size;
                        nodes += size;
                        if (aliasNodes > limits.MaxAliasExpansion)
                            return Over(bag, file.Path, e.Start, $"YAML aliases that expand to more than {limits.MaxAliasExpansion} nodes (alias *{a.Value.Value} alone adds {size})", limits.MaxAliasExpansion + " nodes", nameof(ManifestLimits.MaxAliasExpansion));
                        // An alias is the anchored node itself, as YamlDotNet's representation model resolves it; one
                        // to an unknown anchor, or to a node still open around it (a cycle), is refused.
                        if (!anchors.TryGetValue(a.Value.Value, out var target))
                        {
                            bool open = false;
                            foreach (var fr in frames) open |= fr.Anchor == a.Value.Value;
                            bag.Report(Descriptors.YamlSyntax, new SourceLocation(file.Path, (int)e.Start.Line, (int)e.Start.Column),
                                open ? $"the alias *{a.Value.Value} refers to a node that contains it" : $"the alias *{a.Value.Value} refers to no anchor before it");
                            return null;
                        }
                        CheckKey(frames, null, file.Path, bag);
                        Attach(frames, documents, target);
                        break;
                    case NodeEvent start and (MappingStart or SequenceStart):
                        nodes++;
                        CheckKey(frames, null, file.Path, bag);
                        var container = YamlValue.Container(start is MappingStart, (int)start.Start.Line, (int)start.Start.Column);
                        Attach(frames, documents, container);
                        frames.Push(new Frame(container, start.Anchor.IsEmpty ? null : start.Anchor.Value, nodes - 1));
                        if (frames.Count > limits.MaxDepth)
                            return Over(bag, file.Path, e.Start, $"nesting deeper than {limits.MaxDepth} levels", limits.MaxDepth + " levels", nameof(ManifestLimits.MaxDepth));
                        break;
                    case MappingEnd or SequenceEnd:
                        var f = frames.Pop();
                        if (f.Anchor is not null) { anchorSizes[f.Anchor] = nodes - f.StartNodes; anchors[f.Anchor] = f.Node; }
                        break;
                }
            }
        }
        catch (ScalarTooLongException)
        {
            var (line, col) = LineOf(file.Text, TokenAfter(file.Text, lastEnd));
            return Over(bag, file.Path, new Mark(0, line, col), $"a token (a scalar) longer than {limits.MaxScalarLength} characters", limits.MaxScalarLength + " characters", nameof(ManifestLimits.MaxScalarLength));
        }
        catch (YamlException ex) when (ex.InnerException is ScalarTooLongException)
        {
            var (line, col) = LineOf(file.Text, TokenAfter(file.Text, lastEnd));
            return Over(bag, file.Path, new Mark(0, line, col), $"a token (a scalar) longer than {limits.MaxScalarLength} characters", limits.MaxScalarLength + " characters", nameof(ManifestLimits.MaxScalarLength));
        }
        catch (YamlException ex)
        {
            bag.Report(Descriptors.YamlSyntax, new SourceLocation(file.Path, (int)ex.Start.Line, (int)ex.Start.Column), CleanMessage(ex.InnerException?.Message ?? ex.Message));
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet's scanner raises these too on some malformed text (seen with mutated manifests);
            // the parser's last event is the nearest position we know.
            var at = parser.Current?.Start;
            bag.Report(Descriptors.YamlSyntax, new SourceLocation(file.Path, (int)(at?.Line ?? 1), (int)(at?.Column ?? 1)), "malformed YAML near here: " + ex.Message);
            return null;
        }
        return ok ? documents : null;
    }

    /// <summary>A node is complete (a scalar or alias) or opened (a container): it is its document's root or its parent's next child.</summary>
    private static void Attach(Stack<Frame> frames, List<YamlValue> documents, YamlValue node)
    {
        if (frames.Count == 0) { documents.Add(node); return; }
        var f = frames.Peek();
        f.Node.Add(node);
        if (f.IsMapping) f.ExpectKey = !f.ExpectKey; // in a mapping, keys and values alternate
    }

    /// <summary>Size first, in UTF-8 bytes, without reading past the limit.</summary>
    public static bool CheckSize(string path, string text, ManifestLimits limits, DiagnosticBag bag)
    {
        long bytes = text.Length > limits.MaxFileBytes ? text.Length : System.Text.Encoding.UTF8.GetByteCount(text);
        if (bytes <= limits.MaxFileBytes) return true;
        bag.Report(Descriptors.InputLimit, new SourceLocation(path, 1, 1), $"the file holds {bytes} bytes", limits.MaxFileBytes + " bytes", nameof(ManifestLimits.MaxFileBytes));
        return false;
    }

    /// <summary>
    /// YAML's printable set (c-printable): tab, line feed, carriage return and the printable Unicode ranges. A NUL or
    /// another control character means binary input, a lone surrogate text that was never valid UTF-8.
    /// </summary>
    public static bool CheckCharacters(string path, string text, DiagnosticBag bag)
    {
        int line = 1, col = 1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool bad;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; col++; continue; }
            if (char.IsSurrogate(c)) bad = true;
            else if (c < 0x20) bad = c != '\t' && c != '\n' && c != '\r';
            else bad = (c >= 0x7F && c <= 0x9F && c != 0x85) || c == '\uFFFE' || c == '\uFFFF';
            if (bad)
            {
                var what = char.IsSurrogate(c) ? "an unpaired UTF-16 surrogate" : $"the control character U+{(int)c:X4}";
                bag.Report(Descriptors.InputEncoding, new SourceLocation(path, line, col), $"binary input: {what} is not allowed in YAML");
                return false;
            }
            if (c == '\n') { line++; col = 1; } else col++;
        }
        return true;
    }

    /// <summary>The first character of the next token after an event: past blanks, line breaks and indicators.</summary>
    private static int TokenAfter(string text, int offset)
    {
        while (offset < text.Length && (char.IsWhiteSpace(text[offset]) || text[offset] is ':' or '-' or ',' or '[' or '{' or '?')) offset++;
        return offset;
    }

    private static (int Line, int Column) LineOf(string text, int offset)
    {
        int line = 1, lastNl = -1;
        for (int i = 0; i < offset && i < text.Length; i++) if (text[i] == '\n') { line++; lastNl = i; }
        return (line, offset - lastNl);
    }

    internal static string CleanMessage(string msg)
    {
        int paren = msg.IndexOf("): ", StringComparison.Ordinal);
        return msg.StartsWith("(", StringComparison.Ordinal) && paren > 0 ? msg.Substring(paren + 3) : msg;
    }

    private static IReadOnlyList<YamlValue>? Over(DiagnosticBag bag, string path, Mark at, string what, object limit, string option)
    {
        bag.Report(Descriptors.InputLimit, new SourceLocation(path, (int)at.Line, (int)at.Column), "the manifest has " + what, Convert.ToString(limit, CultureInfo.InvariantCulture)!, option);
        return null;
    }

    /// <summary>A node starts: when it is a mapping key, a scalar key must not repeat one already in that mapping.</summary>
    private static bool CheckKey(Stack<Frame> frames, Scalar? key, string path, DiagnosticBag bag)
    {
        if (frames.Count == 0) return true;
        var f = frames.Peek();
        if (!f.IsMapping || !f.ExpectKey || key is null) return true;
        if (f.Keys.TryGetValue(key.Value, out var firstLine))
        {
            bag.Report(Descriptors.DuplicateKey, new SourceLocation(path, (int)key.Start.Line, (int)key.Start.Column), key.Value, firstLine);
            return false;
        }
        f.Keys[key.Value] = (int)key.Start.Line;
        return true;
    }

    private sealed class Frame(YamlValue node, string? anchor, long startNodes)
    {
        public YamlValue Node { get; } = node;
        public bool IsMapping => Node.IsMapping;
        public string? Anchor { get; } = anchor;
        public long StartNodes { get; } = startNodes;
        public bool ExpectKey { get; set; } = true;
        private Dictionary<string, int>? _keys;
        public Dictionary<string, int> Keys => _keys ??= new(StringComparer.Ordinal);
    }
}

/// <summary>A string reader that throws once an event has read more characters than it was allowed.</summary>
internal sealed class BudgetReader(string text) : TextReader
{
    private int _pos;
    private long _budget = long.MaxValue;
    private int _eventStart;

    /// <summary>Allows <paramref name="allowance"/> more characters for the next event.</summary>
    public void StartEvent(long allowance) { _eventStart = _pos; _budget = _pos + allowance; }

    public override int Peek() => _pos < text.Length ? text[_pos] : -1;

    public override int Read()
    {
        if (_pos >= text.Length) return -1;
        Check(1);
        return text[_pos++];
    }

    public override int Read(char[] buffer, int index, int count)
    {
        int n = Math.Min(count, text.Length - _pos);
        if (n <= 0) return 0;
        Check(n);
        text.CopyTo(_pos, buffer, index, n);
        _pos += n;
        return n;
    }

    private void Check(int n)
    {
        if (_pos + n > _budget) throw new ScalarTooLongException(_eventStart);
    }
}

internal sealed class ScalarTooLongException(int tokenStart) : Exception("a YAML token is longer than the scalar limit")
{
    public int TokenStart { get; } = tokenStart;
}
