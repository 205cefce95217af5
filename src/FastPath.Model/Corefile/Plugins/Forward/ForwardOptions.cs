using System;
using System.Collections.Generic;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Corefile.Plugins;

/// <summary>forward FROM TO… (plugin/forward/setup.go).</summary>
public sealed record ForwardOptions
{
    public string From { get; init; } = ".";
    /// <summary>Upstreams as written: addresses (with optional :port and dns:// or tls://) or resolv.conf paths.</summary>
    public IReadOnlyList<string> To { get; init; } = [];
    public IReadOnlyList<string> Except { get; init; } = [];
    public string Policy { get; init; } = "random";
    public int MaxFails { get; init; } = 2;
    public TimeSpan HealthCheck { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan Expire { get; init; } = TimeSpan.FromSeconds(10);
    public bool ForceTcp { get; init; }
    public bool PreferUdp { get; init; }
    public int MaxConcurrent { get; init; }

    internal static ForwardOptions? Parse(Directive d, DiagnosticBag bag)
    {
        if (d.Args.Count < 2) { bag.Report(Descriptors.PluginOption, d.Location, "forward", "needs FROM and at least one TO"); return null; }
        if (d.Args.Count > 16) { bag.Report(Descriptors.PluginOption, d.ArgLocation(16), "forward", "at most 15 upstreams"); return null; }
        var from = ZoneName.Normalize(d.Args[0]);
        if (from is null) { bag.Report(Descriptors.PluginOption, d.ArgLocation(0), "forward", $"'{d.Args[0]}' is not a valid zone"); return null; }
        var to = new List<string>();
        for (int i = 1; i < d.Args.Count; i++) to.Add(d.Args[i]);
        var o = new ForwardOptions { From = from, To = to };
        foreach (var opt in d.Block)
        {
            switch (opt.Name)
            {
                case "except": o = o with { Except = KubernetesOptions.NormalizeZones(opt, 0, opt.Args.Count, bag) }; break;
                case "policy":
                    if (opt.Args.Count == 1 && opt.Args[0] is "random" or "round_robin" or "sequential") o = o with { Policy = opt.Args[0] };
                    else bag.Report(Descriptors.PluginOption, opt.Location, "forward", "policy takes random, round_robin or sequential");
                    break;
                case "max_fails": if (PluginArgs.Int(opt, 0, 0, int.MaxValue, bag, "max_fails") is int mf) o = o with { MaxFails = mf }; break;
                case "health_check": if (PluginArgs.Duration(opt, 0, bag, "health_check") is TimeSpan hc) o = o with { HealthCheck = hc }; break;
                case "expire": if (PluginArgs.Duration(opt, 0, bag, "expire") is TimeSpan ex) o = o with { Expire = ex }; break;
                case "force_tcp": o = o with { ForceTcp = true }; break;
                case "prefer_udp": o = o with { PreferUdp = true }; break;
                case "max_concurrent": if (PluginArgs.Int(opt, 0, 0, int.MaxValue, bag, "max_concurrent") is int mc) o = o with { MaxConcurrent = mc }; break;
                case "tls": case "tls_servername": case "next": case "failover": case "failfast_all_unhealthy_upstreams": break;
                default: PluginArgs.Unknown(d, opt, bag); break;
            }
        }
        return o;
    }
}
