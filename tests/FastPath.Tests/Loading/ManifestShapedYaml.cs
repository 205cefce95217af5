using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace FastPath.Tests.Loading;

/// <summary>
/// Random manifest-shaped YAML that stays inside the subset <c>FastYamlReader</c> claims: block mappings and
/// sequences (indented, indentless, compact <c>- a: 1</c>), flow collections over several lines, JSON-style quoted
/// keys, comments, empty values and empty documents between markers, with keys and values that need single or double
/// quoting. Everything comes from one seed, so a failing case is reproduced from the seed FsCheck prints.
/// </summary>
internal sealed class ManifestShapedYaml
{
    private static readonly string[] Words =
    [
        "web", "svc-1", "10.96.0.10", "80", "true", "null", "~", "", "a b", "kubernetes.io/service-name", "x: y", "#x",
        "- x", "x #y", "[a]", "{b}", "it's", "say \"hi\"", "é ü 日本", "line\nbreak", "back\\slash", "*a", "&a", "!t",
        "%x", "@x", "`x", "?x", ":x", "-1", "-x", "a,b", "a#b", "a:b", "http://x.y/z?q=1&r=2", " lead", "trail ", "tab\there",
        "ctl\u0001", "x:", "a  b", "---", "...", "|", ">", "'", "\"", "\\", "0.5e+3", "TCP",
    ];

    private readonly Random _r;
    private readonly StringBuilder _sb = new();

    private ManifestShapedYaml(int seed) => _r = new Random(seed);

    public static string Generate(int seed) => new ManifestShapedYaml(seed).Stream();

    private string Stream()
    {
        int documents = _r.Next(1, 4);
        if (_r.Next(3) == 0) Comment(0);
        for (int d = 0; d < documents; d++)
        {
            if (d > 0 || _r.Next(2) == 0) _sb.Append("---").Append(_r.Next(4) == 0 ? " # document\n" : "\n");
            if (d > 0 && _r.Next(5) == 0) _sb.Append("---\n"); // an empty document between markers
            switch (_r.Next(5))
            {
                case 0: Flow(-1, 0); _sb.Append('\n'); break;
                case 1: BlockSequence(0, 3); break;
                default: BlockMapping(0, 3, firstOnLine: false); break;
            }
        }
        return _sb.ToString();
    }

    private void Comment(int indent)
    {
        _sb.Append(' ', indent).Append("# a comment: with - [indicators] 'and' \"quotes\"\n");
    }

    private void Indent(int n) => _sb.Append(' ', n);

    /// <summary>A block mapping at <paramref name="indent"/>; its first key already has its line when it follows "- ".</summary>
    private void BlockMapping(int indent, int depth, bool firstOnLine)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        int count = _r.Next(1, 5);
        for (int i = 0; i < count; i++)
        {
            if (i > 0 || !firstOnLine)
            {
                if (_r.Next(6) == 0) Comment(_r.Next(0, indent + 3));
                Indent(indent);
            }
            string key = Word();
            while (!keys.Add(key)) key += "-" + keys.Count.ToString(CultureInfo.InvariantCulture);
            _sb.Append(Scalar(key, flow: false)).Append(':');
            BlockValue(indent, depth);
        }
    }

    /// <summary>What follows "key:" (or "-"): a scalar or flow collection on the line, or a block below, or nothing.</summary>
    private void BlockValue(int indent, int depth)
    {
        int choice = depth <= 0 ? _r.Next(3) : _r.Next(7);
        switch (choice)
        {
            case 0:
            case 1:
                _sb.Append(' ').Append(Scalar(Word(), flow: false));
                EndOfLine();
                return;
            case 2:
                _sb.Append(' ');
                Flow(indent, depth);
                EndOfLine();
                return;
            case 3:
                EndOfLine(); // an empty value
                return;
            case 4:
                EndOfLine();
                BlockMapping(indent + _r.Next(1, 4), depth - 1, firstOnLine: false);
                return;
            default:
                EndOfLine();
                BlockSequence(indent + (_r.Next(2) == 0 ? 0 : 2), depth - 1);
                return;
        }
    }

    private void BlockSequence(int indent, int depth)
    {
        int count = _r.Next(1, 4);
        for (int i = 0; i < count; i++)
        {
            Indent(indent);
            _sb.Append('-');
            switch (depth <= 0 ? _r.Next(2) : _r.Next(5))
            {
                case 0:
                    _sb.Append(' ').Append(Scalar(Word(), flow: false));
                    EndOfLine();
                    break;
                case 1:
                    _sb.Append(' ');
                    Flow(indent, depth);
                    EndOfLine();
                    break;
                case 2:
                    _sb.Append(' ', _r.Next(1, 3));
                    int column = _sb.Length - LineStart();
                    BlockMapping(column, depth - 1, firstOnLine: true);
                    break;
                case 3:
                    EndOfLine();
                    BlockMapping(indent + 2, depth - 1, firstOnLine: false);
                    break;
                default:
                    EndOfLine(); // an empty entry
                    break;
            }
        }
    }

    private int LineStart()
    {
        int i = _sb.Length - 1;
        while (i >= 0 && _sb[i] != '\n') i--;
        return i + 1;
    }

    private void EndOfLine() => _sb.Append(_r.Next(5) == 0 ? "  # note\n" : "\n");

    /// <summary>A flow collection; its later lines are indented past the block around it, as YAML requires.</summary>
    private void Flow(int indent, int depth)
    {
        bool mapping = _r.Next(2) == 0, json = _r.Next(2) == 0;
        int count = _r.Next(0, 4);
        _sb.Append(mapping ? '{' : '[');
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            if (i > 0) _sb.Append(',');
            Separator(indent);
            if (mapping)
            {
                string key = Word();
                while (!keys.Add(key)) key += "-" + keys.Count.ToString(CultureInfo.InvariantCulture);
                _sb.Append(json ? DoubleQuoted(key) : Scalar(key, flow: true)).Append(json ? ":" : ": ");
            }
            if (depth > 0 && _r.Next(4) == 0) Flow(indent, depth - 1);
            else _sb.Append(json ? DoubleQuoted(Word()) : Scalar(Word(), flow: true));
        }
        if (count > 0 && _r.Next(3) == 0) _sb.Append('\n').Append(' ', indent + 1);
        _sb.Append(mapping ? '}' : ']');
    }

    private void Separator(int indent)
    {
        if (_r.Next(3) == 0) _sb.Append('\n').Append(' ', indent + 1 + _r.Next(3));
        else if (_r.Next(2) == 0) _sb.Append(' ');
    }

    private string Word()
    {
        var w = Words[_r.Next(Words.Length)];
        return _r.Next(8) == 0 ? w + " " + Words[_r.Next(Words.Length)] : w;
    }

    /// <summary>Plain when that is unambiguous in the context, else single-quoted, else double-quoted with escapes.</summary>
    private string Scalar(string s, bool flow)
    {
        if (PlainIsSafe(s, flow) && _r.Next(4) != 0) return s;
        if (NeedsEscapes(s) || _r.Next(3) == 0) return DoubleQuoted(s);
        return "'" + s.Replace("'", "''") + "'";
    }

    private static bool NeedsEscapes(string s)
    {
        foreach (char c in s) if (c < ' ' || c == '\\') return true;
        return false;
    }

    private static bool PlainIsSafe(string s, bool flow)
    {
        if (s.Length == 0 || s[0] == ' ' || s[s.Length - 1] == ' ' || NeedsEscapes(s)) return false;
        if ("-?:,[]{}#&*!|>'\"%@`".IndexOf(s[0]) >= 0 && !(s[0] == '-' && s.Length > 1 && s[1] != ' ')) return false;
        // ' *' starts a word YamlDotNet reads as a possible alias (the fast reader declines it).
        if (s.Contains(": ") || s.EndsWith(":", StringComparison.Ordinal) || s.Contains(" #") || s.Contains(" *")) return false;
        if (s.StartsWith("---", StringComparison.Ordinal) || s.StartsWith("...", StringComparison.Ordinal)) return false; // a document marker at column 0
        if (flow && s.IndexOfAny([',', '[', ']', '{', '}']) >= 0) return false;
        return true;
    }

    private string DoubleQuoted(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < ' ' || (c > '~' && _r.Next(2) == 0)) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
