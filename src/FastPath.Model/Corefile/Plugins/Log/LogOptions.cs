using System;
using System.Collections.Generic;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Corefile.Plugins;

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
