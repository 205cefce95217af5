using System;
using System.Text;
using System.Text.RegularExpressions;
using FastPath.Model.Corefile.Plugins;
using FastPath.Model.Planning;

namespace FastPath.Compiled.Plugins;

/// <summary>
/// rewrite name rules compiled (plugin/rewrite/name.go): the question's name, lower-cased and dotted, is rewritten
/// rule by rule in stack buffers (exact, prefix, suffix and substring on bytes; regex rules through a compiled
/// <see cref="Regex"/>), and answer owner names are mapped back afterwards. Only a regex rule that matches, or an
/// <c>answer name</c> clause that matches, allocates (the replacement string).
/// </summary>
internal sealed class RewriteRules
{
    /// <summary>Room for a rewritten name while it is worked on (a substring rule may lengthen it past a wire name's limit).</summary>
    public const int Scratch = 1024;

    private readonly Rule[] _rules;

    public RewriteRules(RewritePlan plan)
    {
        _rules = new Rule[plan.Rules.Count];
        for (int i = 0; i < _rules.Length; i++) _rules[i] = new Rule(plan.Rules[i]);
    }

    public int Count => _rules.Length;

    /// <summary>
    /// The first rule that may match the wire name <paramref name="qname"/>, or -1 when none can (then no rule fires).
    /// Rules that cannot match the name as asked are skipped by its length, and exact rules by a compare on the wire
    /// (a name with no '.' byte reads the same as text and on the wire: <paramref name="onWire"/>), so a name no rule
    /// touches is never made text.
    /// </summary>
    public int FirstCandidate(ReadOnlySpan<byte> qname, out bool onWire)
    {
        int first = 0, dotted = qname.Length <= 1 ? 1 : qname.Length - 1;
        // The name is searched for a '.' byte only once a rule's length fits it: most names fit none.
        onWire = false;
        bool searched = false;
        for (; first < _rules.Length; first++)
        {
            var rule = _rules[first];
            if (!rule.MayFit(dotted)) continue;
            if (!searched) { onWire = qname.IndexOf((byte)'.') < 0; searched = true; }
            if (rule.MayMatch(qname, dotted, onWire)) return first;
        }
        return -1;
    }

    /// <summary>
    /// Rewrites the wire name <paramref name="qname"/> into <paramref name="wire"/> from rule <paramref name="first"/> on
    /// (<see cref="FirstCandidate"/> gives it, and <paramref name="onWire"/>), and marks the rules that fired in
    /// <paramref name="applied"/>. Returns the new name's wire length, 0 when no rule fired, -1 when the result is not
    /// a name the wire can carry.
    /// </summary>
    public int Rewrite(ReadOnlySpan<byte> qname, int first, bool onWire, Span<byte> wire, Span<bool> applied)
    {
        // An exact rule that stops the chain writes its precomputed wire name.
        var rule = _rules[first];
        if (onWire && rule.ToWire is { } to && !rule.Continue)
        {
            applied[first] = true;
            to.CopyTo(wire);
            return to.Length;
        }
        return RewriteAsText(qname, first, wire, applied);
    }

    /// <summary><see cref="Rewrite"/> from rule <paramref name="first"/> on, on the lower-cased dotted name.</summary>
    private int RewriteAsText(ReadOnlySpan<byte> qname, int first, Span<byte> wire, Span<bool> applied)
    {
        Span<byte> a = stackalloc byte[Scratch], b = stackalloc byte[Scratch];
        int n = WireNames.ToDotted(qname, a);
        WireNames.ToLower(a.Slice(0, n), a);
        bool any = false;
        for (int i = first; i < _rules.Length; i++)
        {
            int m = _rules[i].Apply(a.Slice(0, n), b);
            if (m == 0) continue;
            if (m < 0) return -1;
            b.Slice(0, m).CopyTo(a);
            n = m;
            applied[i] = any = true;
            if (!_rules[i].Continue) break;
        }
        return any ? WireNames.FromDotted(a.Slice(0, n), wire) : 0;
    }

    /// <summary>
    /// Maps one answer owner name back as the rules that fired say (ResponseReverter): an exact rule turns the
    /// rewritten name back into the one asked; an <c>answer name FROM TO</c> clause rewrites what its pattern matches.
    /// Returns the mapped name's length in <paramref name="name"/> (changed in place).
    /// </summary>
    public int MapOwner(Span<byte> name, int length, ReadOnlySpan<bool> applied, ReadOnlySpan<byte> rewritten, ReadOnlySpan<byte> original)
    {
        for (int i = 0; i < _rules.Length; i++)
        {
            if (!applied[i]) continue;
            var rule = _rules[i];
            if (rule.Exact && Ascii.EqualsIgnoreCase(name.Slice(0, length), rewritten))
            {
                original.CopyTo(name);
                length = original.Length;
            }
            else if (rule.AnswerPattern is not null) length = rule.MapAnswer(name, length);
        }
        return length;
    }

    /// <summary>
    /// Whether <see cref="MapOwner"/> does no more than turn the rewritten name back into the one asked: an exact rule
    /// fired and no <c>answer name</c> clause did.
    /// </summary>
    public bool MapsOwnersBack(ReadOnlySpan<bool> applied)
    {
        bool exact = false;
        for (int i = 0; i < _rules.Length; i++)
        {
            if (!applied[i]) continue;
            if (_rules[i].AnswerPattern is not null) return false;
            exact |= _rules[i].Exact;
        }
        return exact;
    }

    private sealed class Rule
    {
        private readonly RewriteMatch _match;
        private readonly byte[] _from, _to;
        /// <summary>An exact rule's name on the wire, when it is one (null otherwise: the rule is tried on text).</summary>
        private readonly byte[]? _fromWire;
        private readonly Regex? _pattern;
        private readonly string? _replacement;
        private readonly string? _answerReplacement;

        public Rule(RewriteRule r)
        {
            _match = r.Match;
            Continue = r.Continue;
            _from = Encoding.ASCII.GetBytes(r.From);
            _to = Encoding.ASCII.GetBytes(r.To);
            if (r.Match == RewriteMatch.Exact && !WireNames.HasUpper(_from) && Wire(_from) is { } from)
            {
                _fromWire = from;
                ToWire = Wire(_to);
            }
            if (r.Match == RewriteMatch.Regex)
            {
                _pattern = new Regex(r.From, RegexOptions.CultureInvariant | RegexOptions.Compiled);
                _replacement = GoGroups(r.To);
            }
            if (r.AnswerFrom is not null)
            {
                AnswerPattern = new Regex(r.AnswerFrom, RegexOptions.CultureInvariant | RegexOptions.Compiled);
                _answerReplacement = GoGroups(r.AnswerTo!);
            }
        }

        public bool Continue { get; }
        public bool Exact => _match == RewriteMatch.Exact;
        public Regex? AnswerPattern { get; }

        /// <summary>An exact rule's result on the wire, when both its names are names the wire can carry.</summary>
        public byte[]? ToWire { get; }

        /// <summary>
        /// Whether the rule can match the name (<paramref name="dottedLength"/> long as text): an exact name has its own
        /// length, and is compared on the wire when <paramref name="onWire"/>; a prefix, suffix or substring fits in it.
        /// </summary>
        /// <summary>Whether a name of this dotted length may match (<see cref="MayMatch"/> without the compare).</summary>
        public bool MayFit(int dottedLength) => _match switch
        {
            RewriteMatch.Exact => _from.Length == dottedLength,
            RewriteMatch.Regex => true,
            _ => _from.Length <= dottedLength,
        };

        public bool MayMatch(ReadOnlySpan<byte> qname, int dottedLength, bool onWire) => _match switch
        {
            RewriteMatch.Exact => _from.Length == dottedLength && (!onWire || _fromWire is null || System.Text.Ascii.EqualsIgnoreCase(qname, _fromWire)),
            RewriteMatch.Regex => true,
            _ => _from.Length <= dottedLength,
        };

        private static byte[]? Wire(byte[] dotted)
        {
            Span<byte> wire = stackalloc byte[WireNames.MaxLength];
            int n = dotted.Length > WireNames.MaxDotted ? -1 : WireNames.FromDotted(dotted, wire);
            return n < 0 ? null : wire.Slice(0, n).ToArray();
        }

        /// <summary>CoreDNS writes groups as {1}; .NET's replacement syntax is ${1}.</summary>
        private static string GoGroups(string to) => Regex.Replace(to, @"\{(\d+)\}", "$${$1}");

        /// <summary>The rewritten dotted name in <paramref name="into"/>: its length, 0 when the rule does not match, -1 when it overflows.</summary>
        public int Apply(ReadOnlySpan<byte> name, Span<byte> into)
        {
            switch (_match)
            {
                case RewriteMatch.Exact:
                    return name.SequenceEqual(_from) ? Put(into, _to, default, default) : 0;
                case RewriteMatch.Prefix:
                    return name.StartsWith(_from) ? Put(into, _to, name.Slice(_from.Length), default) : 0;
                case RewriteMatch.Suffix:
                    return name.EndsWith(_from) ? Put(into, name.Slice(0, name.Length - _from.Length), _to, default) : 0;
                case RewriteMatch.Substring:
                    return name.IndexOf(_from) >= 0 ? ReplaceAll(name, into) : 0;
                default:
                    return ApplyRegex(name, into);
            }
        }

        private static int Put(Span<byte> into, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c)
        {
            if (a.Length + b.Length + c.Length > into.Length) return -1;
            a.CopyTo(into); b.CopyTo(into.Slice(a.Length)); c.CopyTo(into.Slice(a.Length + b.Length));
            return a.Length + b.Length + c.Length;
        }

        /// <summary>Every non-overlapping occurrence, left to right (strings.Replace with n = -1).</summary>
        private int ReplaceAll(ReadOnlySpan<byte> name, Span<byte> into)
        {
            int w = 0;
            while (true)
            {
                int at = _from.Length == 0 ? -1 : name.IndexOf(_from);
                var head = at < 0 ? name : name.Slice(0, at);
                if (w + head.Length + (at < 0 ? 0 : _to.Length) > into.Length) return -1;
                head.CopyTo(into.Slice(w)); w += head.Length;
                if (at < 0) return w;
                _to.CopyTo(into.Slice(w)); w += _to.Length;
                name = name.Slice(at + _from.Length);
            }
        }

        /// <summary>The pattern is tried on the name without allocating; only a match builds the replacement string.</summary>
        private int ApplyRegex(ReadOnlySpan<byte> name, Span<byte> into)
        {
            Span<char> chars = stackalloc char[name.Length];
            for (int i = 0; i < name.Length; i++) chars[i] = (char)name[i];
            if (!_pattern!.IsMatch(chars)) return 0;
            var replaced = _pattern.Replace(chars.ToString(), _replacement!);
            return Put(into, Encoding.ASCII.GetBytes(replaced.EndsWith('.') ? replaced : replaced + "."), default, default);
        }

        /// <summary>An answer name clause on one owner name (wire form, changed in place); returns its length.</summary>
        public int MapAnswer(Span<byte> name, int length)
        {
            Span<byte> dotted = stackalloc byte[WireNames.MaxDotted + 1];
            int n = WireNames.ToDotted(name.Slice(0, length), dotted);
            Span<char> chars = stackalloc char[n];
            for (int i = 0; i < n; i++) chars[i] = (char)dotted[i];
            if (!AnswerPattern!.IsMatch(chars)) return length;
            var replaced = AnswerPattern.Replace(chars.ToString(), _answerReplacement!);
            var bytes = Encoding.ASCII.GetBytes(replaced.EndsWith('.') ? replaced : replaced + ".");
            Span<byte> wire = stackalloc byte[WireNames.MaxLength];
            int m = bytes.Length > WireNames.MaxDotted ? -1 : WireNames.FromDotted(bytes, wire);
            if (m < 0) return length; // a mapping the wire cannot carry leaves the name as answered
            wire.Slice(0, m).CopyTo(name);
            return m;
        }
    }
}
