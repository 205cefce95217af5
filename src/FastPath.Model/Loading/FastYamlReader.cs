using System;
using System.Collections.Generic;
using System.Text;
using YamlDotNet.Core;

namespace FastPath.Model.Loading;

/// <summary>
/// A hand-written reader for the YAML that Kubernetes manifests and <c>kubectl get -o yaml|json</c> use: block
/// mappings and sequences (compact <c>- a: 1</c> and indentless ones too), <c>---</c> documents, one-line plain and
/// quoted scalars, flow collections (JSON included) and comments. It builds the same <see cref="YamlValue"/> trees,
/// with the same lines, columns and scalar styles, as <see cref="ManifestScanner"/>'s YamlDotNet pass, about ten
/// times faster. Whatever it is not certain to read exactly as YamlDotNet does (anchors, tags, block scalars,
/// multi-line scalars, explicit keys, directives, tabs, carriage returns, any syntax error, any limit crossed) makes it
/// decline the whole file: the YamlDotNet pass then reads it and reports what it reports today.
/// </summary>
internal sealed partial class FastYamlReader
{
    // Characters whose YAML meaning (tab rules, other line breaks, a byte order mark) this reader does not model.
    private static readonly char[] Unsupported = ['\t', '\r', '\uFEFF', '\u0085', '\u2028', '\u2029'];

    // The recursion guard: deeper input is declined before the stack could suffer (YamlDotNet's parser is iterative).
    private const int MaxRecursion = 200;

    // YamlDotNet's simple-key bound is 1024 characters from the key to its ':'; stay clear of its exact edge.
    private const int MaxKeySpan = 1000;

    private readonly string _t;
    private readonly ManifestLimits _limits;
    private readonly long _maxGap;
    private int _pos, _line = 1, _lineStart, _depth, _lastNode;
    private StringBuilder? _sb;

    // Children of the open collections, innermost last: each collection gets a list of exactly its size when it closes.
    private YamlValue[] _stack = new YamlValue[64];
    private int _top;

    // A root mapping's "items" list, whose items go to _onItem instead of into it (the depth of that list while it
    // is open, else -1), and the index of its next item.
    private Action<YamlValue, int>? _onItem;
    private int _itemsDepth = -1, _itemIndex;
    private bool _rootIsMapping;

    private FastYamlReader(string text, ManifestLimits limits)
    {
        _t = text;
        _limits = limits;
        // ManifestScanner lets YamlDotNet read MaxScalarLength + 65536 characters per event; an event reads at most
        // from one node to the one after next (plus a 1,024-character look-ahead), so text whose nodes are never more
        // than a third of that apart cannot trip that budget.
        _maxGap = (limits.MaxScalarLength + 65536L) / 3 - 4096;
    }

    /// <summary>The file's documents, or null when the file is not certainly within this reader's subset.</summary>
    public static List<YamlValue>? TryRead(string text, ManifestLimits limits)
    {
        var documents = new List<YamlValue>();
        return TryRead(text, limits, d => { documents.Add(d); return true; }) ? documents : null;
    }

    /// <summary>
    /// Hands each document to <paramref name="onDocument"/> as soon as it is read, so a caller can read it and drop
    /// it before the next one is built. False when the file is not certainly within this reader's subset, which may
    /// be found after some documents were handed out: the caller then forgets them.
    /// </summary>
    /// <param name="onItem">
    /// When set, each item of a root mapping's <c>items</c> list (a <c>kind: List</c>, as kubectl prints a listing) is
    /// handed to it with its index as soon as it is read, and left out of the list; <paramref name="onDocument"/> may
    /// then refuse the document (it was no List after all), which ends the reading as a decline does.
    /// </param>
    public static bool TryRead(string text, ManifestLimits limits, Func<YamlValue, bool> onDocument, Action<YamlValue, int>? onItem = null)
    {
        if (text.IndexOfAny(Unsupported) >= 0) return false;
        try
        {
            new FastYamlReader(text, limits) { _onItem = onItem }.ReadStream(onDocument);
            return true;
        }
        catch (DeclinedException)
        {
            return false;
        }
    }

    private void ReadStream(Func<YamlValue, bool> onDocument)
    {
        int documents = 0;
        SkipToContent();
        bool first = true;
        while (_pos < _t.Length)
        {
            if (documents >= _limits.MaxDocuments) throw Decline();
            bool explicitStart = false;
            if (AtMarker('-'))
            {
                explicitStart = true;
                _pos += 3;
                RestOfLine();
                SkipToContent();
            }
            else if (!first) throw Decline();
            if (_pos >= _t.Length || AtMarker('-'))
            {
                // YamlDotNet places an empty document's null where its scanner stands: just past the next '---'.
                // Where it stands at the end of the stream is not modelled here.
                if (!explicitStart || _pos >= _t.Length) throw Decline();
                if (!onDocument(Scalar("", ScalarStyle.Plain, _line, 4, _pos))) throw Decline();
                documents++;
            }
            else
            {
                // A document that is a lone scalar brings YamlDotNet's comment and indentation rules at level -1.
                var root = Block(-1, Context.LineStart);
                if (root.IsScalar) throw Decline();
                // The checks that end this document come before it is handed out.
                if (_pos < _t.Length && !AtMarker('-')) throw Decline();
                if (!onDocument(root)) throw Decline();
                documents++;
            }
            first = false;
        }
        Gap(_t.Length);
    }

    private enum Context { LineStart, AfterDash, AfterColon }

    /// <summary>
    /// A node in the block context at the current position, inside a block collection whose YamlDotNet indentation is
    /// <paramref name="indent"/>; returns with the position at the next line's content (or the end).
    /// </summary>
    private YamlValue Block(int indent, Context context)
    {
        char c = _t[_pos];
        if (c is '[' or '{')
        {
            var flow = Flow(indent);
            RestOfLine();
            SkipToContent();
            return flow;
        }
        if (c == '-' && BlankAt(_pos + 1))
        {
            if (context != Context.LineStart) throw Decline();
            return Sequence(_pos - _lineStart, indentless: false);
        }
        var scalar = KeyOrScalar(out bool isKey, out bool plainAtEol);
        if (isKey)
        {
            if (context == Context.AfterColon) throw Decline();
            return Mapping(scalar);
        }
        if (plainAtEol) EndsBeforeNextLine(indent);
        else RestOfLine();
        SkipToContent();
        return scalar;
    }

    /// <summary>A block mapping whose first key was just read; the position is past that key's ':'.</summary>
    private YamlValue Mapping(YamlValue firstKey)
    {
        int m = firstKey.Column - 1;
        var map = Open(mapping: true, firstKey.Line, firstKey.Column, _lastNode);
        int first = _top;
        HashSet<string>? seen = null;
        AddKey(first, firstKey, ref seen);
        while (true)
        {
            int line = _line, column = _pos - _lineStart + 1, at = _pos;
            SkipSpaces();
            YamlValue value;
            if (AtLineEnd())
            {
                // "key:" with nothing after it on its line: the value is on the lines below, or null just past the ':'.
                SkipComment();
                SkipToContent();
                if (_pos >= _t.Length || AtMarker('-') || AtMarker('.')) value = EmptyAfterIndicator(line, column, at);
                else if (_pos - _lineStart > m) value = Block(m, Context.LineStart);
                else if (_pos - _lineStart == m && AtEntry()) value = Sequence(m, indentless: true);
                else value = EmptyAfterIndicator(line, column, at);
            }
            else
            {
                value = Block(m, Context.AfterColon);
            }
            Push(value);
            if (!NextInBlock(m)) break;
            if (AtEntry()) throw Decline();
            var key = KeyOrScalar(out bool isKey, out _);
            if (!isKey) throw Decline();
            AddKey(first, key, ref seen);
        }
        return Close(map, first);
    }

    /// <summary>A block sequence at its first '-'; an indentless one shares its parent mapping's column.</summary>
    private YamlValue Sequence(int s, bool indentless)
    {
        var seq = Open(mapping: false, _line, s + 1, _pos);
        int first = _top;
        while (true)
        {
            int line = _line, column = _pos - _lineStart + 2, at = _pos + 1;
            _pos++;
            SkipSpaces();
            YamlValue item;
            if (AtLineEnd())
            {
                SkipComment();
                SkipToContent();
                if (_pos >= _t.Length || AtMarker('-') || AtMarker('.') || _pos - _lineStart <= s) item = EmptyAfterIndicator(line, column, at);
                else item = Block(s, Context.LineStart);
            }
            else
            {
                item = Block(s, Context.AfterDash);
            }
            Push(item);
            if (!NextInBlock(s)) break;
            if (!AtEntry())
            {
                if (indentless) break; // the parent mapping's next key
                throw Decline();
            }
        }
        return Close(seq, first);
    }

    /// <summary>
    /// After a collection's entry: whether the next line continues the collection at column <paramref name="column"/>
    /// (false at the end, at a '---' or at a line further left). A line further right is not something this reader
    /// places with certainty.
    /// </summary>
    private bool NextInBlock(int column)
    {
        if (_pos >= _t.Length || AtMarker('-')) return false;
        if (AtMarker('.')) throw Decline();
        int at = _pos - _lineStart;
        if (at > column) throw Decline();
        return at == column;
    }

    private YamlValue EmptyAfterIndicator(int line, int column, int at) => Scalar("", ScalarStyle.Plain, line, column, at);

    /// <summary>
    /// A plain scalar that ended its line ends there only if the next non-blank line is a comment or sits left of
    /// <paramref name="indent"/> + 1; otherwise YamlDotNet would fold that line into it.
    /// </summary>
    private void EndsBeforeNextLine(int indent)
    {
        int q = _pos;
        while (q < _t.Length && _t[q] == ' ') q++;
        while (q < _t.Length)
        {
            q++; // past '\n'
            int lineStart = q;
            while (q < _t.Length && _t[q] == ' ') q++;
            if (q >= _t.Length || _t[q] == '#') return;
            if (_t[q] == '\n') continue;
            if (q - lineStart < indent + 1) return;
            throw Decline();
        }
    }

    /// <summary>The rest of a line after a complete node: blanks and an optional comment, nothing else.</summary>
    private void RestOfLine()
    {
        int start = _pos;
        SkipSpaces();
        if (_pos >= _t.Length || _t[_pos] == '\n') return;
        if (_t[_pos] == '#' && _pos > start) { SkipComment(); return; }
        throw Decline();
    }

    /// <summary>Blank lines, comment lines and indentation up to the next content, counting lines.</summary>
    private void SkipToContent()
    {
        while (_pos < _t.Length)
        {
            char c = _t[_pos];
            if (c == ' ') _pos++;
            else if (c == '#') SkipComment();
            else if (c == '\n') { _pos++; _line++; _lineStart = _pos; }
            else return;
        }
    }

    private void SkipSpaces()
    {
        while (_pos < _t.Length && _t[_pos] == ' ') _pos++;
    }

    private void SkipComment()
    {
        if (_pos >= _t.Length || _t[_pos] != '#') return;
        int nl = _t.IndexOf('\n', _pos);
        _pos = nl < 0 ? _t.Length : nl;
    }

    private bool AtLineEnd() => _pos >= _t.Length || _t[_pos] is '\n' or '#';

    private bool AtEntry() => _t[_pos] == '-' && BlankAt(_pos + 1);

    private bool BlankAt(int i) => i >= _t.Length || _t[i] is ' ' or '\n';

    /// <summary>'---' or '...' alone at the start of a line: a document boundary.</summary>
    private bool AtMarker(char c) =>
        _pos == _lineStart && _pos + 2 < _t.Length && _t[_pos] == c && _t[_pos + 1] == c && _t[_pos + 2] == c && BlankAt(_pos + 3);

    private YamlValue Open(bool mapping, int line, int column, int at)
    {
        if (++_depth > _limits.MaxDepth || _depth > MaxRecursion) throw Decline();
        Gap(at);
        if (_depth == 1) _rootIsMapping = mapping;
        // A list opening right under the root mapping follows the key it is the value of.
        else if (_depth == 2 && _onItem is not null && !mapping && _rootIsMapping && _stack[_top - 1] is { IsScalar: true, Value: "items" })
        {
            _itemsDepth = 2;
            _itemIndex = 0;
        }
        return YamlValue.Container(mapping, line, column);
    }

    private YamlValue Scalar(string value, ScalarStyle style, int line, int column, int at)
    {
        if (value.Length > _limits.MaxScalarLength) throw Decline();
        Gap(at);
        return YamlValue.Scalar(value, style, line, column);
    }

    private void Gap(int at)
    {
        if (at - _lastNode > _maxGap) throw Decline();
        if (at > _lastNode) _lastNode = at;
    }

    private void Push(YamlValue node)
    {
        if (_depth == _itemsDepth)
        {
            _onItem!(node, _itemIndex++);
            return;
        }
        if (_top == _stack.Length) Array.Resize(ref _stack, _stack.Length * 2);
        _stack[_top++] = node;
    }

    /// <summary>Moves the collection's children (from stack index <paramref name="first"/>) into it.</summary>
    private YamlValue Close(YamlValue node, int first)
    {
        int count = _top - first;
        if (count > 0)
        {
            var children = new List<YamlValue>(count);
            for (int i = first; i < _top; i++) children.Add(_stack[i]);
            Array.Clear(_stack, first, count);
            _top = first;
            node.SetChildren(children);
        }
        if (_depth == _itemsDepth) _itemsDepth = -1;
        _depth--;
        return node;
    }

    /// <summary>A mapping's next key (its pairs start at stack index <paramref name="first"/>); a repeated one is ManifestScanner's error to report.</summary>
    private void AddKey(int first, YamlValue key, ref HashSet<string>? seen)
    {
        if (seen is null && _top - first < 64)
        {
            for (int i = first; i < _top; i += 2)
                if (string.Equals(_stack[i].Value, key.Value, StringComparison.Ordinal)) throw Decline();
        }
        else
        {
            if (seen is null)
            {
                seen = new HashSet<string>(StringComparer.Ordinal);
                for (int i = first; i < _top; i += 2) seen.Add(_stack[i].Value!);
            }
            if (!seen.Add(key.Value!)) throw Decline();
        }
        Push(key);
    }

    private static DeclinedException Decline() => new();

    /// <summary>Raised inside the reader when the file leaves its subset; never escapes <see cref="TryRead"/>.</summary>
    private sealed class DeclinedException : Exception;
}
