using System.Collections.Generic;

namespace FastPath.Model.Loading;

/// <summary>Flow collections (<c>[a, b]</c>, <c>{a: 1}</c>, JSON), which may span lines.</summary>
internal sealed partial class FastYamlReader
{
    /// <summary>
    /// A flow collection at '[' or '{' inside a block collection at YamlDotNet indentation <paramref name="indent"/>;
    /// the position is left past its closing bracket.
    /// </summary>
    private YamlValue Flow(int indent)
    {
        bool mapping = _t[_pos] == '{';
        char close = mapping ? '}' : ']';
        var node = Open(mapping, _line, _pos - _lineStart + 1, _pos);
        _pos++;
        FlowSpace(indent);
        int first = _top;
        if (_t[_pos] == close)
        {
            _pos++;
            return Close(node, first);
        }
        HashSet<string>? seen = null;
        while (true)
        {
            if (mapping)
            {
                AddKey(first, FlowKey(), ref seen);
                FlowSpace(indent);
                if (_t[_pos] is ',' or '}') throw Decline(); // an empty value sits where YamlDotNet's tokens say
            }
            Push(FlowNode(indent));
            FlowSpace(indent);
            char c = _t[_pos];
            if (c == close) { _pos++; break; }
            if (c != ',') throw Decline();
            _pos++;
            FlowSpace(indent);
            if (_t[_pos] == close) throw Decline(); // a trailing comma
        }
        return Close(node, first);
    }

    /// <summary>A flow mapping's key and its ':' (on the key's line); the position is left past the ':'.</summary>
    private YamlValue FlowKey()
    {
        int start = _pos;
        YamlValue key;
        int colon;
        if (_t[_pos] is '"' or '\'')
        {
            key = Quoted();
            SkipSpaces();
            if (_pos >= _t.Length || _t[_pos] != ':') throw Decline();
            colon = _pos;
        }
        else
        {
            if (!PlainStart()) throw Decline();
            key = Plain(flow: true, out var end, out colon);
            if (end != PlainEnd.Colon || (colon + 1 < _t.Length && _t[colon + 1] == ',')) throw Decline();
        }
        if (colon - start > MaxKeySpan) throw Decline();
        _pos = colon + 1;
        return key;
    }

    /// <summary>A value in a flow collection: a nested collection, a quoted scalar or a one-line plain scalar.</summary>
    private YamlValue FlowNode(int indent)
    {
        char c = _t[_pos];
        if (c is '[' or '{') return Flow(indent);
        if (c is '"' or '\'') return Quoted();
        if (!PlainStart()) throw Decline();
        var plain = Plain(flow: true, out var end, out int stopAt);
        switch (end)
        {
            case PlainEnd.Indicator:
                return plain;
            case PlainEnd.LineEnd:
                // Only a ',' or closing bracket on a later line leaves it one line long.
                int q = stopAt;
                while (q < _t.Length && _t[q] is ' ' or '\n') q++;
                if (q < _t.Length && _t[q] is ',' or ']' or '}') return plain;
                throw Decline();
            default:
                throw Decline(); // a single-pair mapping in a sequence, a comment
        }
    }

    /// <summary>
    /// Spaces and line breaks between flow tokens. Comments, the end of the text, a token at or left of the enclosing
    /// block's indentation and a document marker (which ends even a flow collection) are left to YamlDotNet.
    /// </summary>
    private void FlowSpace(int indent)
    {
        while (_pos < _t.Length)
        {
            char c = _t[_pos];
            if (c == ' ') _pos++;
            else if (c == '\n') { _pos++; _line++; _lineStart = _pos; }
            else break;
        }
        if (_pos >= _t.Length || _t[_pos] == '#' || _pos - _lineStart <= indent || AtMarker('-') || AtMarker('.')) throw Decline();
    }
}
