using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Corefile.Plugins;

// Plugins that act on the server around the answers (the serve command runs them); their options are read here
// so a Corefile is checked whole, and so `fastpath check` reports their mistakes. Each follows its plugin's
// setup.go in coredns/coredns: what it accepts is accepted, what it refuses is refused.

/// <summary>log [NAMES…] [FORMAT] { class … } (plugin/log/setup.go).</summary>
public sealed record LogOptions(IReadOnlyList<string> Names, string? Format, IReadOnlyList<string> Classes)
{
    private static readonly HashSet<string> KnownClasses = new(StringComparer.OrdinalIgnoreCase) { "all", "success", "denial", "error" };

    internal static LogOptions Parse(Directive d, DiagnosticBag bag)
    {
        var args = new List<string>(d.Args);
        string? format = null;
        // With two or more arguments, a last one holding '{' is the format (log NAME… FORMAT).
        if (args.Count > 1 && args[args.Count - 1].IndexOf('{') >= 0) { format = args[args.Count - 1]; args.RemoveAt(args.Count - 1); }
        var names = new List<string>();
        foreach (var a in args) names.Add(a.EndsWith(".", StringComparison.Ordinal) ? a : a + ".");
        if (names.Count == 0) names.Add(".");
        var classes = new List<string>();
        foreach (var opt in d.Block)
        {
            if (opt.Name != "class") { PluginArgs.Error(opt, "log", $"unknown property '{opt.Name}'", bag); continue; }
            if (opt.Args.Count == 0) { PluginArgs.Error(opt, "log", "class needs at least one of all, success, denial, error", bag); continue; }
            for (int i = 0; i < opt.Args.Count; i++)
            {
                if (KnownClasses.Contains(opt.Args[i])) classes.Add(opt.Args[i].ToLowerInvariant());
                else PluginArgs.Error(opt, "log", $"invalid class '{opt.Args[i]}'; use all, success, denial or error", bag, i);
            }
        }
        return new LogOptions(names, format, classes.Count == 0 ? ["all"] : classes);
    }
}

/// <summary>errors [stdout] { stacktrace; consolidate DURATION REGEXP [LEVEL] [show_first] } (plugin/errors/setup.go).</summary>
public sealed record ErrorsOptions(bool Stacktrace)
{
    /// <summary>maxRegexpLen in plugin/errors: longer patterns are refused.</summary>
    private const int MaxRegexpLength = 10000;
    private static readonly HashSet<string> Levels = new(StringComparer.Ordinal) { "warning", "error", "info", "debug" };

    public IReadOnlyList<ErrorsConsolidation> Consolidate { get; init; } = [];

    internal static ErrorsOptions Parse(Directive d, DiagnosticBag bag)
    {
        if (d.Args.Count > 1) PluginArgs.Error(d, "errors", "takes at most one argument, 'stdout'", bag, 1);
        else if (d.Args.Count == 1 && d.Args[0] != "stdout") PluginArgs.Error(d, "errors", $"invalid log file: {d.Args[0]}; only stdout is supported", bag, 0);
        bool stacktrace = false;
        var patterns = new List<ErrorsConsolidation>();
        foreach (var opt in d.Block)
        {
            switch (opt.Name)
            {
                case "stacktrace": stacktrace = true; break;
                case "consolidate": if (ParseConsolidate(opt, bag) is { } p) patterns.Add(p); break;
                default: PluginArgs.Error(opt, "errors", $"unknown field '{opt.Name}'", bag); break;
            }
        }
        return new ErrorsOptions(stacktrace) { Consolidate = patterns };
    }

    private static ErrorsConsolidation? ParseConsolidate(Directive opt, DiagnosticBag bag)
    {
        var a = opt.Args;
        if (a.Count < 2 || a.Count > 4) { PluginArgs.Error(opt, "errors", "consolidate takes DURATION REGEXP [LEVEL] [show_first]", bag); return null; }
        if (!PluginArgs.TryDuration(a[0], out var period)) { PluginArgs.Error(opt, "errors", $"consolidate: '{a[0]}' is not a duration", bag, 0); return null; }
        if (a[1].Length > MaxRegexpLength) { PluginArgs.Error(opt, "errors", $"regex pattern too long: {a[1].Length} > {MaxRegexpLength}", bag, 1); return null; }
        if (!RegexSyntax.IsValid(a[1], out var why)) { PluginArgs.Error(opt, "errors", $"consolidate: invalid regular expression '{a[1]}': {why}", bag, 1); return null; }
        string level = "error"; bool levelSet = false, showFirst = false;
        for (int i = 2; i < a.Count; i++)
        {
            if (Levels.Contains(a[i]))
            {
                if (levelSet) { PluginArgs.Error(opt, "errors", "multiple log levels specified in consolidate", bag, i); return null; }
                if (showFirst) { PluginArgs.Error(opt, "errors", "log level must come before show_first in consolidate", bag, i); return null; }
                level = a[i]; levelSet = true;
            }
            else if (a[i] == "show_first") showFirst = true;
            else { PluginArgs.Error(opt, "errors", $"unknown option in consolidate: {a[i]}", bag, i); return null; }
        }
        return new ErrorsConsolidation(period, a[1], level, showFirst);
    }
}

/// <summary>One <c>consolidate</c> line of the errors plugin.</summary>
public sealed record ErrorsConsolidation(TimeSpan Period, string Pattern, string Level, bool ShowFirst);

/// <summary>An HTTP endpoint plugin: health (plugin/health), ready (plugin/ready), prometheus (plugin/metrics).</summary>
public sealed record HttpEndpointOptions(string Address, TimeSpan Lameduck)
{
    /// <summary>ready's <c>monitor until-ready|continuously</c>.</summary>
    public string Monitor { get; init; } = "until-ready";

    internal static HttpEndpointOptions Parse(Directive d, string defaultAddress, DiagnosticBag bag)
    {
        var addr = defaultAddress;
        if (d.Args.Count > 1) PluginArgs.Error(d, d.Name, $"takes at most one address, found '{d.Args[1]}'", bag, 1);
        else if (d.Args.Count == 1)
        {
            // net.SplitHostPort is all the plugins ask of the address.
            if (PluginArgs.IsHostPort(d.Args[0])) addr = d.Args[0];
            else PluginArgs.Error(d, d.Name, $"'{d.Args[0]}' must be ADDRESS:PORT or :PORT", bag, 0);
        }
        var o = new HttpEndpointOptions(addr, TimeSpan.Zero);
        bool tlsSeen = false;
        foreach (var opt in d.Block)
        {
            switch (d.Name, opt.Name)
            {
                case ("health", "lameduck"):
                    if (opt.Args.Count != 1) PluginArgs.Error(opt, "health", "lameduck takes one duration", bag);
                    else if (!PluginArgs.TryDuration(opt.Args[0], out var t)) PluginArgs.Error(opt, "health", $"unable to parse lameduck duration value: '{opt.Args[0]}'", bag, 0);
                    else o = o with { Lameduck = t };
                    break;
                case ("ready", "monitor"):
                    if (opt.Args.Count != 1) PluginArgs.Error(opt, "ready", "monitor takes until-ready or continuously", bag);
                    else if (opt.Args[0] is "until-ready" or "continuously") o = o with { Monitor = opt.Args[0] };
                    else PluginArgs.Error(opt, "ready", $"monitor type '{opt.Args[0]}' not supported", bag, 0);
                    break;
                case ("prometheus", "runtime_metrics"):
                    if (opt.Args.Count != 0) PluginArgs.Error(opt, "prometheus", "runtime_metrics takes no arguments", bag, 0);
                    else PluginArgs.NotHonoured(opt, "prometheus", "runtime_metrics", "FastPath exports .NET runtime metrics through System.Diagnostics.Metrics, not Go's collector", bag);
                    break;
                case ("prometheus", "tls"):
                    if (tlsSeen) { PluginArgs.Error(opt, "prometheus", "tls block already specified", bag); break; }
                    tlsSeen = true;
                    if (opt.Args.Count != 1) PluginArgs.Error(opt, "prometheus", "tls takes one configuration file", bag);
                    else PluginArgs.NotHonoured(opt, "prometheus", "tls", "the metrics endpoint is served over plain HTTP", bag);
                    break;
                default:
                    PluginArgs.Error(opt, d.Name, $"unknown property '{opt.Name}'", bag);
                    break;
            }
        }
        return o;
    }
}

/// <summary>reload [INTERVAL] [JITTER] (plugin/reload/setup.go): 30 s ± 15 s by default.</summary>
public sealed record ReloadOptions(TimeSpan Interval, TimeSpan Jitter)
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(2), MinJitter = TimeSpan.FromSeconds(1);

    internal static ReloadOptions? Parse(Directive d, DiagnosticBag bag)
    {
        if (d.Args.Count > 2) { PluginArgs.Error(d, "reload", "takes at most INTERVAL and JITTER", bag, 2); return null; }
        var interval = TimeSpan.FromSeconds(30);
        if (d.Args.Count > 0 && !PluginArgs.TryDuration(d.Args[0], out interval)) { PluginArgs.Error(d, "reload", $"interval '{d.Args[0]}' is not a duration", bag, 0); return null; }
        if (interval < MinInterval) { PluginArgs.Error(d, "reload", $"interval value must be greater or equal to {MinInterval.TotalSeconds}s", bag, 0); return null; }
        var jitter = TimeSpan.FromSeconds(15);
        if (d.Args.Count > 1 && !PluginArgs.TryDuration(d.Args[1], out jitter)) { PluginArgs.Error(d, "reload", $"jitter '{d.Args[1]}' is not a duration", bag, 1); return null; }
        if (jitter != TimeSpan.Zero && jitter < MinJitter) { PluginArgs.Error(d, "reload", "jitter value must be 0 or greater or equal to 1s", bag, 1); return null; }
        // CoreDNS clamps the jitter to half the interval: `reload 10s` runs every 10 s ± 5 s.
        if (jitter > TimeSpan.Zero && jitter.Ticks > interval.Ticks / 2) jitter = TimeSpan.FromTicks(interval.Ticks / 2);
        return new ReloadOptions(interval, jitter);
    }
}

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
