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

    public static bool TryDuration(string s, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        int i = 0;
        if (s.Length == 0) return false;
        if (s == "0") return true;
        while (i < s.Length)
        {
            int start = i;
            while (i < s.Length && (char.IsDigit(s[i]) || s[i] == '.')) i++;
            if (start == i || !double.TryParse(s.Substring(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double n)) return false;
            int us = i;
            while (i < s.Length && char.IsLetter(s[i])) i++;
            double ms = s.Substring(us, i - us) switch
            {
                "ns" => 1e-6, "us" => 1e-3, "µs" => 1e-3, "ms" => 1, "s" => 1000, "m" => 60000, "h" => 3600000,
                _ => double.NaN,
            };
            if (double.IsNaN(ms)) return false;
            value += TimeSpan.FromMilliseconds(n * ms);
        }
        return true;
    }

    public static void NoArgs(Directive d, DiagnosticBag bag)
    {
        if (d.Args.Count > 0) bag.Report(Descriptors.PluginOption, d.ArgLocation(0), d.Name, $"takes no arguments, found '{d.Args[0]}'");
    }

    public static void Unknown(Directive plugin, Directive option, DiagnosticBag bag) =>
        bag.Report(Descriptors.PluginOption, option.Location, plugin.Name, $"unknown option '{option.Name}'");
}
