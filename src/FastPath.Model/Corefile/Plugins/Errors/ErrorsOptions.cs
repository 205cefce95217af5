using System;
using System.Collections.Generic;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Corefile.Plugins;

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
