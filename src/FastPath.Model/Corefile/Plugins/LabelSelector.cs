using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace FastPath.Model.Corefile.Plugins;

/// <summary>
/// The syntax of a Kubernetes label selector string (apimachinery labels.Parse, as meta.ParseToLabelSelector uses it):
/// comma-separated requirements <c>key</c>, <c>!key</c>, <c>key=value</c>, <c>key==value</c>, <c>key!=value</c>,
/// <c>key in (a,b)</c>, <c>key notin (a,b)</c>.
/// </summary>
internal static class LabelSelector
{
    private static readonly Regex Requirement = new(
        @"^\s*(?:(?<not>!)\s*(?<key>[^\s=!(),]+)|(?<key>[^\s=!(),]+)\s*(?:(?<op>==|=|!=)\s*(?<value>[^\s=!(),]*)|\s+(?<op>in|notin)\s*\((?<set>[^()]*)\))?)\s*$",
        RegexOptions.CultureInvariant);

    /// <summary>Null when the selector parses, else why not.</summary>
    public static string? Check(string selector)
    {
        foreach (var part in SplitTopLevel(selector))
        {
            var m = Requirement.Match(part);
            if (!m.Success) return $"'{part.Trim()}' is not a label requirement";
            var key = m.Groups["key"].Value;
            if (Loading.ApiRules.IsQualifiedName(key) is { Count: > 0 } errs) return $"key '{key}': {errs[0]}";
            var values = new List<string>();
            if (m.Groups["value"].Success) values.Add(m.Groups["value"].Value);
            if (m.Groups["set"].Success) foreach (var v in m.Groups["set"].Value.Split(',')) values.Add(v.Trim());
            foreach (var v in values)
                if (Loading.ApiRules.IsValidLabelValue(v) is { Count: > 0 } verrs) return $"value '{v}': {verrs[0]}";
        }
        return null;
    }

    private static IEnumerable<string> SplitTopLevel(string s)
    {
        int depth = 0, start = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '(') depth++;
            else if (s[i] == ')') depth--;
            else if (s[i] == ',' && depth == 0) { yield return s.Substring(start, i - start); start = i + 1; }
        }
        if (depth != 0) { yield return "("; yield break; } // unbalanced: reported as not a requirement
        yield return s.Substring(start);
    }
}
