using System.Collections.Generic;
using System.Text.RegularExpressions;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Corefile.Plugins;

public enum RewriteMatch { Exact, Prefix, Suffix, Substring, Regex }

/// <summary>One <c>rewrite [continue|stop] name TYPE FROM TO [answer name FROM TO]</c> rule.</summary>
public sealed record RewriteRule(bool Continue, RewriteMatch Match, string From, string To, string? AnswerFrom, string? AnswerTo)
{
    public Regex? Pattern { get; init; }
}

/// <summary>The name rules of every rewrite line of a server block, in order (plugin/rewrite).</summary>
public sealed record RewriteOptions(IReadOnlyList<RewriteRule> Rules)
{
    internal static RewriteRule? ParseRule(Directive d, DiagnosticBag bag)
    {
        var a = new List<string>(d.Args);
        bool cont = false;
        if (a.Count > 0 && a[0] is "continue" or "stop") { cont = a[0] == "continue"; a.RemoveAt(0); }
        if (a.Count == 0 || a[0] != "name")
        {
            bag.Report(Descriptors.PluginOption, d.Location, "rewrite", $"only 'name' rules are supported by FastPath, not '{(a.Count > 0 ? a[0] : "")}'");
            return null;
        }
        a.RemoveAt(0);
        var match = RewriteMatch.Exact;
        if (a.Count > 2 && a[0] is "exact" or "prefix" or "suffix" or "substring" or "regex")
        {
            match = a[0] switch { "prefix" => RewriteMatch.Prefix, "suffix" => RewriteMatch.Suffix, "substring" => RewriteMatch.Substring, "regex" => RewriteMatch.Regex, _ => RewriteMatch.Exact };
            a.RemoveAt(0);
        }
        if (a.Count < 2) { bag.Report(Descriptors.PluginOption, d.Location, "rewrite", "name needs FROM and TO"); return null; }
        string from = a[0], to = a[1];
        string? aFrom = null, aTo = null;
        if (a.Count > 2)
        {
            if (a.Count == 6 && a[2] == "answer" && a[3] == "name") { aFrom = a[4]; aTo = a[5]; }
            else if (a.Count == 4 && a[2] == "answer" && a[3] == "auto") { }
            else { bag.Report(Descriptors.PluginOption, d.Location, "rewrite", "after FROM TO only 'answer name FROM TO' or 'answer auto' may follow"); return null; }
        }
        if (match is RewriteMatch.Exact or RewriteMatch.Suffix or RewriteMatch.Prefix)
        {
            // Exact names are compared fully qualified and in lower case, as the plugin does.
            if (match == RewriteMatch.Exact) { from = Fqdn(from); to = Fqdn(to); }
        }
        Regex? re = null;
        if (match == RewriteMatch.Regex || aFrom is not null)
        {
            try
            {
                if (match == RewriteMatch.Regex) re = new Regex(from, RegexOptions.CultureInvariant);
                if (aFrom is not null) _ = new Regex(aFrom, RegexOptions.CultureInvariant);
            }
            catch (System.ArgumentException ex)
            {
                bag.Report(Descriptors.PluginOption, d.Location, "rewrite", "invalid regular expression: " + ex.Message);
                return null;
            }
        }
        return new RewriteRule(cont, match, from, to, aFrom, aTo) { Pattern = re };
    }

    private static string Fqdn(string s)
    {
        s = s.ToLowerInvariant();
        return s.EndsWith(".", System.StringComparison.Ordinal) ? s : s + ".";
    }
}
