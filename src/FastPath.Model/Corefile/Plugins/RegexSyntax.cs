using System;
using System.Text.RegularExpressions;

namespace FastPath.Model.Corefile.Plugins;

/// <summary>Checks a regular expression the way Go's regexp.Compile would refuse it, as far as .NET's parser can tell.</summary>
internal static class RegexSyntax
{
    public static bool IsValid(string pattern, out string why)
    {
        why = "";
        // Constructs Go's RE2 refuses that .NET accepts: backreferences and lookaround.
        if (Regex.IsMatch(pattern, @"\\[1-9]|\(\?[=!<]")) { why = "backreferences and lookaround are not RE2 syntax"; return false; }
        try { _ = new Regex(pattern, RegexOptions.CultureInvariant); return true; }
        catch (ArgumentException ex) { why = ex.Message; return false; }
    }
}
