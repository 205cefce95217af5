using System;
using System.Collections.Generic;
using System.Text;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Corefile;

/// <summary>
/// Splits Corefile text into tokens as Caddy's lexer does: whitespace separates, newlines end directives,
/// '#' starts a comment, double quotes group (with \" escapes), and {$NAME} is replaced from the environment.
/// </summary>
internal static class CorefileLexer
{
    public static List<CorefileToken> Lex(string text, string path, int fileId, int lineOffset, Func<string, string?> env, DiagnosticBag bag)
    {
        var tokens = new List<CorefileToken>();
        int line = 1, col = 1, i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '\n') { line++; col = 1; i++; continue; }
            if (char.IsWhiteSpace(c)) { col++; i++; continue; }
            if (c == '#')
            {
                while (i < text.Length && text[i] != '\n') i++;
                continue;
            }
            int startLine = line, startCol = col;
            var sb = new StringBuilder();
            bool quoted = false;
            if (c == '"')
            {
                quoted = true;
                i++; col++;
                bool closed = false;
                while (i < text.Length)
                {
                    char q = text[i];
                    if (q == '\\' && i + 1 < text.Length && text[i + 1] == '"') { sb.Append('"'); i += 2; col += 2; continue; }
                    if (q == '"') { i++; col++; closed = true; break; }
                    if (q == '\n') { line++; col = 1; } else col++;
                    sb.Append(q); i++;
                }
                if (!closed)
                {
                    bag.Report(Descriptors.CorefileSyntax, new SourceLocation(path, startLine + lineOffset, startCol), "unterminated quoted string");
                    return tokens;
                }
            }
            else
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i])) { sb.Append(text[i]); i++; col++; }
            }
            var loc = new SourceLocation(path, startLine + lineOffset, startCol);
            tokens.Add(new CorefileToken(Substitute(sb.ToString(), env, bag, loc), quoted, (long)fileId << 32 | (uint)startLine, loc));
        }
        return tokens;
    }

    private static string Substitute(string word, Func<string, string?> env, DiagnosticBag bag, SourceLocation loc)
    {
        int start = word.IndexOf("{$", StringComparison.Ordinal);
        if (start < 0) return word;
        var sb = new StringBuilder();
        int pos = 0;
        while (start >= 0)
        {
            int end = word.IndexOf('}', start);
            if (end < 0) break;
            sb.Append(word, pos, start - pos);
            var name = word.Substring(start + 2, end - start - 2);
            var value = env(name);
            if (value is null) bag.Report(Descriptors.UnsetEnvironment, loc, name);
            sb.Append(value ?? "");
            pos = end + 1;
            start = word.IndexOf("{$", pos, StringComparison.Ordinal);
        }
        sb.Append(word, pos, word.Length - pos);
        return sb.ToString();
    }
}
