using System;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Corefile.Plugins;

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
