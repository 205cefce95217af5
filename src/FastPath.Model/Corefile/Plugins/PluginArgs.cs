using System;
using System.Globalization;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Corefile.Plugins;

/// <summary>Shared argument checks for plugin setup; each reports FP0053 with the argument's location.</summary>
internal static class PluginArgs
{
    public static int? Int(Directive d, int index, int min, int max, DiagnosticBag bag, string what)
    {
        if (index >= d.Args.Count) { bag.Report(Descriptors.PluginOption, d.Location, d.Name, $"{what} needs a number"); return null; }
        if (int.TryParse(d.Args[index], NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max) return v;
        bag.Report(Descriptors.PluginOption, d.ArgLocation(index), d.Name, $"{what} must be a number from {min} to {max}, not '{d.Args[index]}'");
        return null;
    }

    /// <summary>Go duration syntax as CoreDNS uses it: 500ms, 5s, 1m, 1h, 1m30s.</summary>
    public static TimeSpan? Duration(Directive d, int index, DiagnosticBag bag, string what)
    {
        if (index >= d.Args.Count) { bag.Report(Descriptors.PluginOption, d.Location, d.Name, $"{what} needs a duration"); return null; }
        if (TryDuration(d.Args[index], out var t)) return t;
        bag.Report(Descriptors.PluginOption, d.ArgLocation(index), d.Name, $"{what} must be a duration such as 5s or 1m, not '{d.Args[index]}'");
        return null;
    }

    /// <summary>
    /// Go's time.ParseDuration, which every CoreDNS plugin uses: an optional sign, then one or more number+unit pairs
    /// (ns, us, µs, ms, s, m, h; fractions allowed), or a bare "0". "5" without a unit is an error, as in Go.
    /// </summary>
    public static bool TryDuration(string s, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        int i = 0;
        bool negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+')) { negative = s[0] == '-'; i = 1; }
        if (s.Substring(i) == "0") return true;
        if (i >= s.Length) return false;
        double totalMs = 0;
        while (i < s.Length)
        {
            int start = i;
            while (i < s.Length && (char.IsDigit(s[i]) || s[i] == '.')) i++;
            var number = s.Substring(start, i - start);
            if (number.Length == 0 || number == "." || number.IndexOf('.') != number.LastIndexOf('.')) return false;
            if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double n)) return false;
            int us = i;
            while (i < s.Length && !char.IsDigit(s[i]) && s[i] != '.') i++;
            double ms = s.Substring(us, i - us) switch
            {
                "ns" => 1e-6, "us" => 1e-3, "\u00b5s" => 1e-3, "\u03bcs" => 1e-3, "ms" => 1, "s" => 1000, "m" => 60000, "h" => 3600000,
                _ => double.NaN,
            };
            if (double.IsNaN(ms)) return false;
            totalMs += n * ms;
        }
        if (totalMs > TimeSpan.MaxValue.TotalMilliseconds / 2) return false; // Go's int64 nanoseconds overflow
        value = TimeSpan.FromTicks((long)Math.Round(totalMs * TimeSpan.TicksPerMillisecond)) ;
        if (negative) value = -value;
        return true;
    }

    /// <summary>Go's strconv.Atoi: an optional sign and decimal digits, nothing else.</summary>
    public static bool TryAtoi(string s, out long value) =>
        long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && s.Trim() == s && s.Length > 0;

    /// <summary>Go's strconv.ParseUint(s, 0, bits): decimal, 0x hex, 0o/0 octal, 0b binary; no sign.</summary>
    public static bool TryParseUint(string s, int bits, out ulong value)
    {
        value = 0;
        if (s.Length == 0 || s[0] == '+' || s[0] == '-') return false;
        int radix = 10; string digits = s.Replace("_", "");
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) { radix = 16; digits = digits.Substring(2); }
        else if (digits.StartsWith("0b", StringComparison.OrdinalIgnoreCase)) { radix = 2; digits = digits.Substring(2); }
        else if (digits.StartsWith("0o", StringComparison.OrdinalIgnoreCase)) { radix = 8; digits = digits.Substring(2); }
        else if (digits.Length > 1 && digits[0] == '0') { radix = 8; digits = digits.Substring(1); }
        if (digits.Length == 0) return false;
        try { value = Convert.ToUInt64(digits, radix); }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException) { return false; }
        return bits >= 64 || value < (1UL << bits);
    }

    /// <summary>Go's net.SplitHostPort: "host:port", "[v6]:port" or ":port"; the port may be a name.</summary>
    public static bool IsHostPort(string s)
    {
        if (s.StartsWith("[", StringComparison.Ordinal))
        {
            int end = s.IndexOf(']');
            return end > 0 && end + 1 < s.Length && s[end + 1] == ':' && s.IndexOf(']', end + 1) < 0 && s.IndexOf('[', 1) < 0;
        }
        int colon = s.LastIndexOf(':');
        return colon >= 0 && s.IndexOf(':') == colon && s.IndexOf('[') < 0 && s.IndexOf(']') < 0;
    }

    public static void Error(Directive at, string plugin, string message, DiagnosticBag bag, int? arg = null) =>
        bag.Report(Descriptors.PluginOption, arg is int i ? at.ArgLocation(i) : at.Location, plugin, message);

    /// <summary>An option CoreDNS accepts that FastPath reads but does not act on: a located warning, never silence.</summary>
    public static void NotHonoured(Directive at, string plugin, string what, string why, DiagnosticBag bag) =>
        bag.Report(Descriptors.PluginOptionNotHonoured, at.Location, plugin, what, why);

    public static void NoArgs(Directive d, DiagnosticBag bag)
    {
        if (d.Args.Count > 0) bag.Report(Descriptors.PluginOption, d.ArgLocation(0), d.Name, $"takes no arguments, found '{d.Args[0]}'");
    }

    public static void Unknown(Directive plugin, Directive option, DiagnosticBag bag) =>
        bag.Report(Descriptors.PluginOption, option.Location, plugin.Name, $"unknown option '{option.Name}'");
}
