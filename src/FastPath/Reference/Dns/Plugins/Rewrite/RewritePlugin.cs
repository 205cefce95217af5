using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using FastPath.Dns;
using FastPath.Model.Corefile.Plugins;

namespace FastPath.Reference.Dns;

/// <summary>rewrite name rules (plugin/rewrite/name.go): the request name is rewritten, the response mapped back.</summary>
internal sealed class RewritePlugin
{
    private readonly RewriteOptions _o;

    public RewritePlugin(RewriteOptions options) { _o = options; }

    /// <summary>The rewritten name (fully qualified, lower-case) and the rules that fired, in order.</summary>
    public (string Name, List<RewriteRule> Applied) Rewrite(string lowerName)
    {
        var applied = new List<RewriteRule>();
        var name = lowerName;
        foreach (var rule in _o.Rules)
        {
            string? to = rule.Match switch
            {
                RewriteMatch.Exact => name == rule.From ? rule.To : null,
                RewriteMatch.Prefix => name.StartsWith(rule.From, StringComparison.Ordinal) ? rule.To + name.Substring(rule.From.Length) : null,
                RewriteMatch.Suffix => name.EndsWith(rule.From, StringComparison.Ordinal) ? name.Substring(0, name.Length - rule.From.Length) + rule.To : null,
                RewriteMatch.Substring => name.Contains(rule.From, StringComparison.Ordinal) ? name.Replace(rule.From, rule.To, StringComparison.Ordinal) : null,
                RewriteMatch.Regex => rule.Pattern!.IsMatch(name) ? DnsNaming.Fqdn(ExpandRegex(rule, name)) : null,
                _ => null,
            };
            if (to is null) continue;
            name = to;
            applied.Add(rule);
            if (!rule.Continue) break;
        }
        return (name, applied);
    }

    /// <summary>Go's regexp uses {1} for groups in the replacement; .NET uses $1.</summary>
    private static string ExpandRegex(RewriteRule rule, string name) =>
        rule.Pattern!.Replace(name, Regex.Replace(rule.To, @"\{(\d+)\}", "$${$1}"));

    /// <summary>Maps answer names back: exact rules automatically, others where 'answer name' was given.</summary>
    public static void RewriteResponse(DnsMessage m, string rewritten, string original, List<RewriteRule> applied)
    {
        foreach (var section in new[] { m.Answer, m.Authority, m.Additional })
            for (int i = 0; i < section.Count; i++)
            {
                var r = section[i];
                string name = r.Name;
                foreach (var rule in applied)
                {
                    if (rule.Match == RewriteMatch.Exact && string.Equals(name, rewritten, StringComparison.OrdinalIgnoreCase)) name = original;
                    else if (rule.AnswerFrom is not null)
                    {
                        var re = new Regex(rule.AnswerFrom, RegexOptions.CultureInvariant);
                        if (re.IsMatch(name)) name = DnsNaming.Fqdn(re.Replace(name, Regex.Replace(rule.AnswerTo!, @"\{(\d+)\}", "$${$1}")));
                    }
                }
                if (!ReferenceEquals(name, r.Name)) section[i] = r with { Name = name };
            }
    }
}
