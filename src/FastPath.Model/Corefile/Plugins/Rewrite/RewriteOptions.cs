using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Corefile.Plugins;

public enum RewriteMatch { Exact, Prefix, Suffix, Substring, Regex }

/// <summary>One <c>rewrite [continue|stop] name TYPE FROM TO [answer name FROM TO]</c> rule.</summary>
public sealed record RewriteRule(bool Continue, RewriteMatch Match, string From, string To, string? AnswerFrom, string? AnswerTo)
{
    public Regex? Pattern { get; init; }
}

/// <summary>
/// The rewrite rules of a server block, in order (plugin/rewrite: rewrite.go newRule and each rule type's file).
/// Every rule CoreDNS accepts is accepted and every one it refuses is refused. Name rules are applied; the other
/// rule types (type, class, edns0, ttl, rcode, cname) and <c>answer value</c> clauses are checked and reported as
/// not honoured, so a Corefile never loses a rule without a word.
/// </summary>
public sealed record RewriteOptions(IReadOnlyList<RewriteRule> Rules)
{
    private const int MaxRegexpLength = 10000;

    /// <summary>Reads one rewrite directive; the rule (when it is a name rule FastPath applies) or null.</summary>
    internal static RewriteRule? ParseRule(Directive d, DiagnosticBag bag)
    {
        var args = new List<string>(d.Args);
        // `rewrite stop { name … \n answer … }`: the block's words continue the rule (rewriteParse).
        if (args.Count < 2)
            foreach (var line in d.Block) { args.Add(line.Name); args.AddRange(line.Args); }
        string? error = null;
        var rule = NewRule(args, d, bag, ref error);
        if (error is not null) { PluginArgs.Error(d, "rewrite", error, bag); return null; }
        return rule;
    }

    private static RewriteRule? NewRule(List<string> args, Directive d, DiagnosticBag bag, ref string? error)
    {
        if (args.Count == 0) { error = "no rule type specified for rewrite"; return null; }
        var arg0 = args[0].ToLowerInvariant();
        bool cont = false;
        int start = 1;
        string ruleType;
        if (arg0 is "continue" or "stop")
        {
            if (args.Count < 2) { error = $"{arg0} rule must begin with a rule type"; return null; }
            cont = arg0 == "continue";
            ruleType = args[1].ToLowerInvariant();
            start = 2;
        }
        else ruleType = arg0;
        var rest = args.GetRange(start, args.Count - start);
        switch (ruleType)
        {
            case "answer": error = "response rewrites must begin with a name rule"; return null;
            case "name": return NameRule(cont, rest, d, bag, ref error);
            case "class":
            case "type":
                if (rest.Count != 2) { error = $"{ruleType} rules must have exactly two arguments"; return null; }
                foreach (var v in rest)
                    if (!(ruleType == "type" ? DnsTypes.Contains(v.ToUpperInvariant()) : DnsClasses.Contains(v.ToUpperInvariant())))
                    { error = $"invalid {ruleType} \"{v.ToUpperInvariant()}\""; return null; }
                NotHonoured(d, ruleType + " rule", bag);
                return null;
            case "edns0":
                error = Edns0(rest);
                if (error is null) NotHonoured(d, "edns0 rule", bag);
                return null;
            case "ttl":
                error = TtlOrRcode(rest, isTtl: true);
                if (error is null) NotHonoured(d, "ttl rule", bag);
                return null;
            case "rcode":
                error = TtlOrRcode(rest, isTtl: false);
                if (error is null) NotHonoured(d, "rcode rule", bag);
                return null;
            case "cname":
                error = Cname(rest);
                if (error is null) NotHonoured(d, "cname rule", bag);
                return null;
            default:
                error = $"invalid rule type \"{args[0]}\"";
                return null;
        }
    }

    private static void NotHonoured(Directive d, string what, DiagnosticBag bag) =>
        PluginArgs.NotHonoured(d, "rewrite", "a " + what, "FastPath applies rewrite name rules only; this rule does not change its answers", bag);

    /// <summary>newNameRule: name [exact|prefix|suffix|substring|regex] FROM TO [answer auto | answer name FROM TO | answer value FROM TO]…</summary>
    private static RewriteRule? NameRule(bool cont, List<string> a, Directive d, DiagnosticBag bag, ref string? error)
    {
        if (a.Count < 2) { error = "too few arguments for a name rule"; return null; }
        string matchType; string from, to;
        if (a.Count == 2) { matchType = "exact"; from = Normalize(a[0]); to = Normalize(a[1]); }
        else
        {
            matchType = a[0].ToLowerInvariant();
            from = matchType == "regex" ? a[1] : Normalize(a[1]);
            to = matchType == "regex" ? a[2] : Normalize(a[2]);
        }
        if (matchType is "exact" or "suffix")
        {
            if (!from.EndsWith(".", StringComparison.Ordinal)) from += ".";
            if (!to.EndsWith(".", StringComparison.Ordinal)) to += ".";
        }
        string? answerFrom = null, answerTo = null;
        bool valueRules = false;
        if (a.Count > 3)
        {
            error = AnswerRules(matchType, a.GetRange(3, a.Count - 3), ref answerFrom, ref answerTo, ref valueRules);
            if (error is not null) return null;
        }
        var match = matchType switch
        {
            "exact" => RewriteMatch.Exact, "prefix" => RewriteMatch.Prefix, "suffix" => RewriteMatch.Suffix,
            "substring" => RewriteMatch.Substring, "regex" => RewriteMatch.Regex, _ => (RewriteMatch?)null,
        };
        if (match is null) { error = $"name rule supports only exact, prefix, suffix, substring, and regex name matching, received: {matchType}"; return null; }
        Regex? pattern = null;
        if (match == RewriteMatch.Exact && (error = CheckRegex(to, from)) is not null) return null;
        if (match == RewriteMatch.Regex)
        {
            if ((error = CheckRegex(from, to)) is not null) return null;
            pattern = new Regex(from, RegexOptions.CultureInvariant);
            to = Normalize(to);
        }
        if (valueRules) PluginArgs.NotHonoured(d, "rewrite", "an 'answer value' clause", "FastPath rewrites answer names, not record values", bag);
        return new RewriteRule(cont, match.Value, from, to, answerFrom, answerTo) { Pattern = pattern };
    }

    /// <summary>parseAnswerRules: answer clauses after a name rule.</summary>
    private static string? AnswerRules(string name, List<string> a, ref string? nameFrom, ref string? nameTo, ref bool valueRules)
    {
        if (a.Count < 2) return $"invalid arguments for {name} rule";
        bool auto = false; int nameRules = 0; int i = 0; string last = "";
        while (i < a.Count)
        {
            if (last.Length == 0 && a[i] != "answer") return $"exceeded the number of arguments for a non-answer rule argument for {name} rule";
            if (a[i] == "answer") i++;
            if (i >= a.Count) return $"type missing for answer rule for {name} rule";
            last = a[i++];
            switch (last)
            {
                case "auto": auto = true; continue;
                case "name":
                case "value":
                    if (a.Count - i < 2) return $"{last} answer rule for {name} rule: 2 arguments required";
                    var err = CheckRegex(a[i], a[i + 1]);
                    if (err is not null) return $"{last} answer rule for {name} rule: {err}";
                    if (last == "name") { nameFrom ??= a[i]; nameTo ??= Normalize(a[i + 1]); nameRules++; }
                    else valueRules = true;
                    i += 2;
                    break;
                default: return $"invalid type \"{last}\" for answer rule for {name} rule";
            }
        }
        if (auto && nameRules > 0) return "auto name answer rule cannot be combined with explicit name anwer rules";
        return null;
    }

    /// <summary>isValidRegexPattern: the pattern compiles, and the replacement uses no more {N} groups than it has.</summary>
    private static string? CheckRegex(string from, string to)
    {
        if (from.Length > MaxRegexpLength) return $"regex pattern too long: {from.Length} > {MaxRegexpLength}";
        if (!RegexSyntax.IsValid(from, out _)) return $"invalid regex matching pattern: {from}";
        int groups = new Regex(from, RegexOptions.CultureInvariant).GetGroupNumbers().Length - 1;
        int used = 0;
        for (int n = 0; n <= 100; n++) if (to.Contains("{" + n.ToString(CultureInfo.InvariantCulture) + "}")) used++;
        return used > groups ? $"the rewrite regex pattern ({to}) uses more subexpressions than its corresponding matching regex pattern ({from})" : null;
    }

    /// <summary>newEdns0Rule: local, nsid and subnet with set/append/replace/unset [revert].</summary>
    private static string? Edns0(List<string> a)
    {
        if (a.Count < 2) return "too few arguments for an EDNS0 rule";
        var type = a[0].ToLowerInvariant(); var action = a[1].ToLowerInvariant();
        if (action == "unset")
        {
            return type switch
            {
                "local" => a.Count != 3 ? "local unset action requires exactly two arguments" : PluginArgs.TryParseUint(a[2], 16, out _) ? null : $"invalid EDNS0 option code '{a[2]}'",
                "nsid" => a.Count != 2 ? "nsid unset action requires exactly one argument" : null,
                "subnet" => a.Count != 2 ? "subnet unset action requires exactly one argument" : null,
                _ => $"invalid rule type \"{type}\"",
            };
        }
        if (action is not ("set" or "append" or "replace")) return $"invalid action: \"{action}\"";
        int n = a.Count;
        if (a[n - 1] == "revert") n--;
        switch (type)
        {
            case "local":
                if (n != 4) return "EDNS0 local rules require three or four args";
                if (!PluginArgs.TryParseUint(a[2], 16, out _)) return $"invalid EDNS0 option code '{a[2]}'";
                var data = a[3];
                if (data.StartsWith("{", StringComparison.Ordinal) && data.EndsWith("}", StringComparison.Ordinal))
                    return IsEdns0Variable(data) ? null : $"unsupported variable name \"{data}\"";
                if (data.StartsWith("0x", StringComparison.Ordinal) && !IsHex(data.Substring(2))) return $"invalid hex data '{data}'";
                return null;
            case "nsid": return n != 2 ? "EDNS0 NSID rules can accept no more than one arg" : null;
            case "subnet":
                if (n != 4) return "EDNS0 subnet rules require three or four args";
                if (!PluginArgs.TryParseUint(a[2], 16, out var v4) || v4 > 32) return $"invalid IPv4 bit mask length {a[2]}";
                if (!PluginArgs.TryParseUint(a[3], 16, out var v6) || v6 > 128) return $"invalid IPv6 bit mask length {a[3]}";
                return null;
            default: return $"invalid rule type \"{type}\"";
        }
    }

    private static bool IsEdns0Variable(string v)
    {
        if (v is "{qname}" or "{qtype}" or "{client_ip}" or "{client_port}" or "{protocol}" or "{server_ip}" or "{server_port}") return true;
        // A metadata label, "{plugin/name}" (metadata.IsLabel).
        var label = v.Substring(1, v.Length - 2);
        int p = label.IndexOf('/');
        return p > 0 && p < label.Length - 1;
    }

    private static bool IsHex(string s)
    {
        if (s.Length % 2 != 0) return false;
        foreach (char c in s) if (!Uri.IsHexDigit(c)) return false;
        return true;
    }

    /// <summary>newTTLRule / newRCodeRule: [MATCH] NAME VALUE (ttl: N, N-M, N-, -M; rcode: 0-23 or a name, old then new).</summary>
    private static string? TtlOrRcode(List<string> a, bool isTtl)
    {
        string what = isTtl ? "ttl" : "rcode";
        int needed = isTtl ? 2 : 3;
        if (a.Count < needed) return $"too few ({a.Count}) arguments for a {what} rule";
        if (a.Count > needed + 1) return $"many few arguments for a {what} rule";
        bool withMatch = a.Count == needed + 1;
        if (isTtl)
        {
            var s = a[a.Count - 1];
            if (!IsValidTtl(s)) return $"invalid TTL '{s}' for a ttl rule";
        }
        else
        {
            if (!IsValidRcode(a[a.Count - 2])) return $"invalid matching RCODE '{a[a.Count - 2]}' for a rcode rule";
            if (!IsValidRcode(a[a.Count - 1])) return $"invalid replacement RCODE '{a[a.Count - 1]}' for a rcode rule";
        }
        if (!withMatch) return null;
        switch (a[0].ToLowerInvariant())
        {
            case "exact": case "prefix": case "suffix": case "substring": return null;
            case "regex":
                if (a[1].Length > MaxRegexpLength) return $"regex pattern too long in a {what} rule: {a[1].Length} > {MaxRegexpLength}";
                return RegexSyntax.IsValid(a[1], out _) ? null : $"invalid regex pattern in a {what} rule: {a[1]}";
            default: return $"{what} rule supports only exact, prefix, suffix, substring, and regex name matching";
        }
    }

    private static bool IsValidTtl(string v)
    {
        var parts = v.Split('-');
        if (parts.Length == 1) return uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out _);
        if (parts.Length != 2) return false;
        if (parts[0].Length == 0 && parts[1].Length == 0) return false; // "-" alone is refused
        uint min = 0, max = int.MaxValue;
        if (parts[0].Length > 0 && !uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out min)) return false;
        if (parts[1].Length > 0 && !uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out max)) return false;
        return min <= max;
    }

    private static bool IsValidRcode(string v) =>
        (uint.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out uint n) && n <= 23) || Rcodes.Contains(v.ToUpperInvariant());

    /// <summary>newCNAMERule: [exact|prefix|suffix|substring|regex] FROM TO.</summary>
    private static string? Cname(List<string> a)
    {
        if (a.Count == 2) return null;
        if (a.Count != 3) return $"too few ({a.Count}) arguments for a cname rule";
        var t = a[0].ToLowerInvariant();
        if (t is not ("exact" or "prefix" or "suffix" or "substring" or "regex")) return $"unknown cname rewrite type: {t}";
        if (t == "regex" && !RegexSyntax.IsValid(a[1].ToLowerInvariant(), out var why)) return $"invalid cname rewrite regex pattern: {why}";
        return null;
    }

    /// <summary>plugin.Name.Normalize: lower case and fully qualified.</summary>
    private static string Normalize(string s)
    {
        s = s.ToLowerInvariant();
        return s.EndsWith(".", StringComparison.Ordinal) ? s : s + ".";
    }

    // miekg/dns StringToRcode, StringToClass and StringToType (the names CoreDNS's rewrite accepts).
    private static readonly HashSet<string> Rcodes = new(StringComparer.Ordinal)
    { "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE", "BADSIG", "BADVERS", "BADKEY", "BADTIME", "BADMODE", "BADNAME", "BADALG", "BADTRUNC", "BADCOOKIE" };
    private static readonly HashSet<string> DnsClasses = new(StringComparer.Ordinal) { "IN", "CS", "CH", "HS", "NONE", "ANY" };
    private static readonly HashSet<string> DnsTypes = new(StringComparer.Ordinal)
    {
        "NONE", "A", "NS", "MD", "MF", "CNAME", "SOA", "MB", "MG", "MR", "NULL", "PTR", "HINFO", "MINFO", "MX", "TXT", "RP", "AFSDB", "X25", "ISDN", "RT",
        "NSAPPTR", "SIG", "KEY", "PX", "GPOS", "AAAA", "LOC", "NXT", "EID", "NIMLOC", "SRV", "ATMA", "NAPTR", "KX", "CERT", "DNAME", "OPT", "APL", "DS",
        "SSHFP", "IPSECKEY", "RRSIG", "NSEC", "DNSKEY", "DHCID", "NSEC3", "NSEC3PARAM", "TLSA", "SMIMEA", "HIP", "NINFO", "RKEY", "TALINK", "CDS",
        "CDNSKEY", "OPENPGPKEY", "CSYNC", "ZONEMD", "SVCB", "HTTPS", "SPF", "UINFO", "UID", "GID", "UNSPEC", "NID", "L32", "L64", "LP", "EUI48",
        "EUI64", "NXNAME", "URI", "CAA", "AVC", "AMTRELAY", "RESINFO", "TKEY", "TSIG", "IXFR", "AXFR", "MAILB", "MAILA", "ANY", "TA", "DLV", "RESERVED",
    };
}
