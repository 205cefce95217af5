using System;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Corefile.Plugins;

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
