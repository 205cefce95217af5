using System.Text;
using YamlDotNet.Core;

namespace FastPath.Model.Loading;

/// <summary>One-line plain and quoted scalars, read as YamlDotNet's scanner reads them.</summary>
internal sealed partial class FastYamlReader
{
    private enum PlainEnd { Colon, Indicator, Comment, LineEnd }

    /// <summary>
    /// A block-context scalar at the current position and whether it is a mapping key (then the position is past its
    /// ':'). A plain scalar that ran to its line's end is flagged: only the next line can tell whether it ended.
    /// </summary>
    private YamlValue KeyOrScalar(out bool isKey, out bool plainAtEol)
    {
        int start = _pos;
        isKey = false;
        plainAtEol = false;
        if (_t[_pos] is '"' or '\'')
        {
            var quoted = Quoted();
            int p = _pos;
            while (p < _t.Length && _t[p] == ' ') p++;
            if (p < _t.Length && _t[p] == ':')
            {
                if (!BlankAt(p + 1) || p - start > MaxKeySpan) throw Decline();
                isKey = true;
                _pos = p + 1;
            }
            return quoted;
        }
        if (!PlainStart()) throw Decline();
        var plain = Plain(flow: false, out var end, out int stopAt);
        if (end == PlainEnd.Colon)
        {
            if (stopAt - start > MaxKeySpan) throw Decline();
            isKey = true;
            _pos = stopAt + 1;
        }
        plainAtEol = end == PlainEnd.LineEnd;
        return plain;
    }

    /// <summary>
    /// Whether a plain scalar may start here. Stricter than YAML: no indicator starts one ('-' only before a character
    /// that is neither blank nor a flow indicator), which keeps YamlDotNet's special cases out.
    /// </summary>
    private bool PlainStart()
    {
        char c = _t[_pos];
        if (c == '-')
        {
            if (_pos + 1 >= _t.Length) return false;
            return _t[_pos + 1] is not (' ' or '\n' or ',' or '[' or ']' or '{' or '}' or '#');
        }
        return c is not (' ' or '\n' or '?' or ':' or ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`');
    }

    /// <summary>
    /// A plain scalar on one line: words separated by spaces, ended by ': ' (or ':,' in flow), by a flow indicator in
    /// flow, by ' #', or by the line's end. The position is left just past its last character.
    /// </summary>
    private YamlValue Plain(bool flow, out PlainEnd end, out int stopAt)
    {
        int start = _pos, p = _pos, last = _pos;
        while (true)
        {
            while (p < _t.Length)
            {
                char c = _t[p];
                if (c is ' ' or '\n') break;
                if (c == ':' && (BlankAt(p + 1) || (flow && _t[p + 1] == ',')))
                {
                    end = PlainEnd.Colon;
                    goto done;
                }
                if (flow && c is ',' or '[' or ']' or '{' or '}')
                {
                    end = PlainEnd.Indicator;
                    goto done;
                }
                last = ++p;
            }
            while (p < _t.Length && _t[p] == ' ') p++;
            if (p >= _t.Length || _t[p] == '\n') { end = PlainEnd.LineEnd; break; }
            if (_t[p] == '#') { end = PlainEnd.Comment; break; }
            // YamlDotNet reads a word that starts with '*' as a possible alias, through any ': ' in it.
            if (_t[p] == '*') throw Decline();
        }
    done:
        // Checked before the text is copied: a huge scalar is declined without allocating it.
        if (last - start > _limits.MaxScalarLength) throw Decline();
        stopAt = p;
        int column = start - _lineStart + 1;
        _pos = last;
        return Scalar(Text(start, last - start), ScalarStyle.Plain, _line, column, start);
    }

    // Keys and many values repeat (name, port, TCP, true), and so do values across objects (namespaces, node names,
    // zones): short ones are shared, found by a hash of their characters. One table for every reader, so a live
    // cluster that reads each object on its own keeps one copy of each, not one per object, and a reader does not
    // allocate its own 32 KB. Lossy and fixed in size: a slot is one reference, read and written whole, so threads
    // racing on it at worst make an extra copy.
    private const int SharedMaxLength = 24;
    private static readonly string?[] Shared = new string?[4096];

    private string Text(int start, int length)
    {
        if (length > SharedMaxLength) return _t.Substring(start, length);
        uint h = 2166136261;
        for (int i = start; i < start + length; i++) h = (h ^ _t[i]) * 16777619;
        ref string? slot = ref Shared[h & (uint)(Shared.Length - 1)];
        var found = slot;
        if (found is not null && found.Length == length && string.CompareOrdinal(found, 0, _t, start, length) == 0) return found;
        return slot = _t.Substring(start, length);
    }

    /// <summary>A single- or double-quoted scalar that closes on its own line; the position is left past the quote.</summary>
    private YamlValue Quoted()
    {
        int start = _pos, p = _pos + 1, run = p;
        char quote = _t[_pos];
        StringBuilder? sb = null;
        while (true)
        {
            // The value is never longer than its text: a text over the limit is declined before it is copied.
            if (p >= _t.Length || p - start - 1 > _limits.MaxScalarLength) throw Decline();
            char c = _t[p];
            if (c == '\n') throw Decline(); // folding across lines is YamlDotNet's
            if (c == quote)
            {
                if (quote == '\'' && p + 1 < _t.Length && _t[p + 1] == '\'')
                {
                    sb = Builder(sb).Append(_t, run, p + 1 - run);
                    p += 2;
                    run = p;
                    continue;
                }
                break;
            }
            if (c == '\\' && quote == '"')
            {
                sb = Builder(sb).Append(_t, run, p - run);
                p = Escape(p, sb);
                run = p;
                continue;
            }
            p++;
        }
        string value = sb is null ? Text(start + 1, p - start - 1) : sb.Append(_t, run, p - run).ToString();
        _pos = p + 1;
        // YamlDotNet refuses a comment right after a closing double quote; neither form is worth modelling.
        if (_pos < _t.Length && _t[_pos] == '#') throw Decline();
        return Scalar(value, quote == '"' ? ScalarStyle.DoubleQuoted : ScalarStyle.SingleQuoted, _line, start - _lineStart + 1, start);
    }

    private StringBuilder Builder(StringBuilder? current)
    {
        if (current is not null) return current;
        _sb ??= new StringBuilder();
        _sb.Clear();
        return _sb;
    }

    /// <summary>One escape of a double-quoted scalar at <paramref name="p"/> (its backslash); returns the index after it.</summary>
    private int Escape(int p, StringBuilder sb)
    {
        if (p + 1 >= _t.Length) throw Decline();
        char e = _t[p + 1];
        int digits;
        switch (e)
        {
            case 'x': digits = 2; break;
            case 'u': digits = 4; break;
            case 'U': digits = 8; break;
            default:
                sb.Append(e switch
                {
                    '0' => '\0', 'a' => '\a', 'b' => '\b', 't' => '\t', 'n' => '\n', 'v' => '\v', 'f' => '\f',
                    'r' => '\r', 'e' => '\x1B', ' ' => ' ', '"' => '"', '\\' => '\\', '/' => '/',
                    'N' => '\x85', '_' => '\xA0', 'L' => '\u2028', 'P' => '\u2029',
                    _ => throw Decline(), // an escaped line break folds lines; anything else is YamlDotNet's error
                });
                return p + 2;
        }
        if (p + 2 + digits > _t.Length) throw Decline();
        int code = 0;
        for (int k = 0; k < digits; k++)
        {
            int h = Hex(_t[p + 2 + k]);
            if (h < 0) throw Decline();
            code = (code << 4) | h;
            if (code > 0x10FFFF) throw Decline();
        }
        // Surrogate escapes take a special, pairing path in YamlDotNet.
        if (code is >= 0xD800 and <= 0xDFFF) throw Decline();
        if (code < 0x10000) sb.Append((char)code);
        else sb.Append(char.ConvertFromUtf32(code));
        return p + 2 + digits;
    }

    private static int Hex(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
