using System;
using System.Collections.Generic;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Corefile.Plugins;

// Plugins that act on the server around the answers (the serve issue runs them); their options are read here
// so a Corefile is checked whole, and so `fastpath check` reports their mistakes.

/// <summary>log [NAMES…] [FORMAT] { class … } (plugin/log).</summary>
public sealed record LogOptions(IReadOnlyList<string> Names, string? Format, IReadOnlyList<string> Classes)
{
    internal static LogOptions Parse(Directive d)
    {
        var classes = new List<string>();
        foreach (var opt in d.Block) if (opt.Name == "class") classes.AddRange(opt.Args);
        string? format = d.Args.Count > 1 ? d.Args[d.Args.Count - 1] : null;
        var names = new List<string>();
        for (int i = 0; i < (format is null ? d.Args.Count : d.Args.Count - 1); i++) names.Add(d.Args[i]);
        return new LogOptions(names, format, classes.Count == 0 ? ["all"] : classes);
    }
}

/// <summary>errors { consolidate … } (plugin/errors).</summary>
public sealed record ErrorsOptions(bool Stacktrace)
{
    internal static ErrorsOptions Parse(Directive d)
    {
        bool st = false;
        foreach (var opt in d.Block) if (opt.Name == "stacktrace") st = true;
        return new ErrorsOptions(st);
    }
}

/// <summary>An HTTP endpoint plugin (health :8080, ready :8181, prometheus localhost:9153).</summary>
public sealed record HttpEndpointOptions(string Address, TimeSpan Lameduck)
{
    internal static HttpEndpointOptions Parse(Directive d, string defaultAddress, DiagnosticBag bag)
    {
        var addr = d.Args.Count > 0 ? d.Args[0] : defaultAddress;
        if (addr.IndexOf(':') < 0) { bag.Report(Descriptors.PluginOption, d.ArgLocation(0), d.Name, $"'{addr}' must be ADDRESS:PORT or :PORT"); addr = defaultAddress; }
        var lameduck = TimeSpan.Zero;
        foreach (var opt in d.Block)
        {
            if (opt.Name == "lameduck" && PluginArgs.Duration(opt, 0, bag, "lameduck") is TimeSpan t) lameduck = t;
            else if (opt.Name != "lameduck" && opt.Name != "monitor") PluginArgs.Unknown(d, opt, bag);
        }
        return new HttpEndpointOptions(addr, lameduck);
    }
}

/// <summary>reload [INTERVAL] [JITTER] (plugin/reload): 30 s ± 15 s by default.</summary>
public sealed record ReloadOptions(TimeSpan Interval, TimeSpan Jitter)
{
    internal static ReloadOptions Parse(Directive d, DiagnosticBag bag)
    {
        var interval = d.Args.Count > 0 ? PluginArgs.Duration(d, 0, bag, "interval") ?? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(30);
        var jitter = d.Args.Count > 1 ? PluginArgs.Duration(d, 1, bag, "jitter") ?? TimeSpan.FromSeconds(15) : TimeSpan.FromSeconds(15);
        if (interval < TimeSpan.FromSeconds(2)) bag.Report(Descriptors.PluginOption, d.ArgLocation(0), "reload", "interval must be at least 2s");
        if (jitter.Ticks * 2 > interval.Ticks) bag.Report(Descriptors.PluginOption, d.ArgLocation(1), "reload", "jitter must be at most half the interval");
        return new ReloadOptions(interval, jitter);
    }
}
