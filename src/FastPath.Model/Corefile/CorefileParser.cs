using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FastPath.Model.Corefile.Plugins;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Corefile;

/// <summary>
/// Parses a Corefile into server blocks: keys, directives with arguments and nested blocks, snippets
/// (<c>(name) { … }</c>) and <c>import</c> of snippets or files. Errors carry line and column; parsing never throws.
/// </summary>
public static class CorefileParser
{
    public static CorefileConfig Parse(string text, string path, DiagnosticBag bag, int lineOffset = 0,
        Func<string, string?>? env = null, Func<string, string?>? readFile = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        var state = new State(bag, env, readFile ?? DefaultRead, Path.GetDirectoryName(path) ?? ".");
        var tokens = CorefileLexer.Lex(text, path, state.NextFileId(), lineOffset, env, bag);
        tokens = state.ExtractSnippets(tokens);
        tokens = state.ExpandImports(tokens, depth: 0);
        var blocks = new List<ServerBlock>();
        int i = 0;
        while (i < tokens.Count)
        {
            var block = ParseServerBlock(tokens, ref i, bag);
            if (block is null) break;
            blocks.Add(block with { Plugins = PluginRegistry.Read(block, bag, state.Read) });
        }
        return new CorefileConfig(blocks, text);
    }

    private static string? DefaultRead(string p) => File.Exists(p) ? File.ReadAllText(p) : null;

    private static ServerBlock? ParseServerBlock(List<CorefileToken> t, ref int i, DiagnosticBag bag)
    {
        var keys = new List<ServerKey>();
        var start = t[i].Location;
        while (i < t.Count && !t[i].IsOpen)
        {
            if (t[i].IsClose) { bag.Report(Descriptors.CorefileSyntax, t[i].Location, "unexpected '}'"); return null; }
            foreach (var part in t[i].Text.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var key = ParseKey(part, t[i].Location, bag);
                if (key is null) return null;
                keys.Add(key);
            }
            i++;
        }
        if (i >= t.Count) { bag.Report(Descriptors.CorefileSyntax, start, "server block has no '{'; write 'ZONE:PORT { plugins }'"); return null; }
        i++; // {
        var directives = ParseDirectives(t, ref i, bag, topLevel: true);
        if (directives is null) return null;
        return new ServerBlock(keys, directives, start);
    }

    /// <summary>Reads directive lines until the matching '}'.</summary>
    private static List<Directive>? ParseDirectives(List<CorefileToken> t, ref int i, DiagnosticBag bag, bool topLevel)
    {
        var list = new List<Directive>();
        var openAt = i > 0 ? t[i - 1].Location : null;
        while (i < t.Count)
        {
            if (t[i].IsClose) { i++; return list; }
            if (t[i].IsOpen) { bag.Report(Descriptors.CorefileSyntax, t[i].Location, "unexpected '{'"); return null; }
            var head = t[i];
            long lineKey = head.LineKey;
            var args = new List<string>();
            var argLocs = new List<Diagnostics.SourceLocation>();
            i++;
            List<Directive> block = [];
            while (i < t.Count && t[i].LineKey == lineKey)
            {
                if (t[i].IsOpen)
                {
                    i++;
                    var nested = ParseDirectives(t, ref i, bag, topLevel: false);
                    if (nested is null) return null;
                    block = nested;
                    break;
                }
                if (t[i].IsClose) break;
                args.Add(t[i].Text); argLocs.Add(t[i].Location); i++;
            }
            list.Add(new Directive(head.Text, args, block, head.Location) { ArgLocations = argLocs });
        }
        bag.Report(Descriptors.CorefileSyntax, openAt, "'{' is never closed; add the matching '}'");
        return null;
    }

    private static ServerKey? ParseKey(string text, Diagnostics.SourceLocation loc, DiagnosticBag bag)
    {
        string scheme = "dns", rest = text;
        int sep = text.IndexOf("://", StringComparison.Ordinal);
        if (sep >= 0) { scheme = text.Substring(0, sep).ToLowerInvariant(); rest = text.Substring(sep + 3); }
        int port = scheme switch { "tls" => 853, "https" => 443, "grpc" => 443, _ => 53 };
        string zone = rest;
        int colon = rest.LastIndexOf(':');
        // A CIDR key (10.0.0.0/8) or a bare IPv6-free zone may carry :PORT.
        if (colon >= 0 && rest.IndexOf(':') == colon)
        {
            zone = rest.Substring(0, colon);
            if (!int.TryParse(rest.Substring(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) || port < 1 || port > 65535)
            {
                bag.Report(Descriptors.CorefileSyntax, loc, $"'{text}' has an invalid port");
                return null;
            }
        }
        if (zone.Length == 0) zone = ".";
        var norm = ZoneName.Normalize(zone);
        if (norm is null) { bag.Report(Descriptors.CorefileSyntax, loc, $"'{text}' is not a valid zone"); return null; }
        return new ServerKey(scheme, norm, port);
    }

    private sealed class State
    {
        private readonly DiagnosticBag _bag;
        private readonly Func<string, string?> _env;
        private readonly Func<string, string?> _read;
        private readonly string _dir;
        private readonly Dictionary<string, List<CorefileToken>> _snippets = new(StringComparer.Ordinal);
        private int _files;

        public State(DiagnosticBag bag, Func<string, string?> env, Func<string, string?> read, string dir)
        { _bag = bag; _env = env; _read = read; _dir = dir; }

        public int NextFileId() => ++_files;

        /// <summary>Reads a file the Corefile names (import, hosts), relative to the Corefile's folder.</summary>
        public string? Read(string path) => _read(Path.IsPathRooted(path) ? path : Path.Combine(_dir, path));

        /// <summary>Removes top-level '(name) { … }' snippets from the stream and remembers their tokens.</summary>
        public List<CorefileToken> ExtractSnippets(List<CorefileToken> t)
        {
            var rest = new List<CorefileToken>();
            for (int i = 0; i < t.Count; i++)
            {
                var tok = t[i];
                if (!tok.Quoted && tok.Text.Length > 2 && tok.Text[0] == '(' && tok.Text[tok.Text.Length - 1] == ')' && i + 1 < t.Count && t[i + 1].IsOpen)
                {
                    int depth = 0, j = i + 1;
                    var body = new List<CorefileToken>();
                    for (; j < t.Count; j++)
                    {
                        if (t[j].IsOpen && depth++ == 0) continue;
                        if (t[j].IsClose && --depth == 0) break;
                        body.Add(t[j]);
                    }
                    if (j >= t.Count) { _bag.Report(Descriptors.CorefileSyntax, tok.Location, $"snippet {tok.Text} is never closed"); return rest; }
                    _snippets[tok.Text.Substring(1, tok.Text.Length - 2)] = body;
                    i = j;
                    continue;
                }
                rest.Add(tok);
            }
            return rest;
        }

        /// <summary>Replaces each 'import X' line with the snippet X or the contents of the files X names.</summary>
        public List<CorefileToken> ExpandImports(List<CorefileToken> t, int depth)
        {
            if (depth > 10) { _bag.Report(Descriptors.CorefileSyntax, t.FirstOrDefault()?.Location, "import nesting is deeper than 10: an import loop?"); return []; }
            var result = new List<CorefileToken>();
            for (int i = 0; i < t.Count; i++)
            {
                bool startsLine = i == 0 || t[i - 1].LineKey != t[i].LineKey;
                if (!(startsLine && !t[i].Quoted && t[i].Text == "import")) { result.Add(t[i]); continue; }
                if (i + 1 >= t.Count || t[i + 1].LineKey != t[i].LineKey) { _bag.Report(Descriptors.CorefileSyntax, t[i].Location, "import needs a snippet name or a file"); return result; }
                var arg = t[i + 1];
                i++;
                if (_snippets.TryGetValue(arg.Text, out var body)) { result.AddRange(ExpandImports(body, depth + 1)); continue; }
                var files = ResolveFiles(arg.Text);
                if (files.Count == 0) { _bag.Report(Descriptors.CorefileSyntax, arg.Location, $"import '{arg.Text}': no such snippet or file"); continue; }
                foreach (var f in files)
                {
                    var text = _read(f);
                    if (text is null) { _bag.Report(Descriptors.CorefileSyntax, arg.Location, $"import '{f}': cannot read the file"); continue; }
                    var toks = CorefileLexer.Lex(text, f, NextFileId(), 0, _env, _bag);
                    result.AddRange(ExpandImports(ExtractSnippets(toks), depth + 1));
                }
            }
            return result;
        }

        private List<string> ResolveFiles(string pattern)
        {
            var full = Path.IsPathRooted(pattern) ? pattern : Path.Combine(_dir, pattern);
            if (full.IndexOf('*') < 0) return _read(full) is null ? [] : [full];
            var dir = Path.GetDirectoryName(full) ?? ".";
            if (!Directory.Exists(dir)) return [];
            return Directory.GetFiles(dir, Path.GetFileName(full)).OrderBy(f => f, StringComparer.Ordinal).ToList();
        }
    }
}
