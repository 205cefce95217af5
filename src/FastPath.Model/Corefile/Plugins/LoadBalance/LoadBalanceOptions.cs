using System.Collections.Generic;
using FastPath.Model.Diagnostics;
using FastPath.Model.Net;

namespace FastPath.Model.Corefile.Plugins;

/// <summary>
/// loadbalance [round_robin | weighted FILE { reload DURATION }] { prefer CIDR… } (plugin/loadbalance/setup.go):
/// shuffles A/AAAA records of NOERROR replies. FastPath shuffles round robin; a weighted policy and preferred
/// subnets are accepted as CoreDNS accepts them and reported as not honoured.
/// </summary>
public sealed record LoadBalanceOptions(string Policy)
{
    public string? WeightFile { get; init; }
    public IReadOnlyList<string> Prefer { get; init; } = [];

    internal static LoadBalanceOptions? Parse(Directive d, DiagnosticBag bag)
    {
        var o = new LoadBalanceOptions("round_robin");
        bool ok = true;
        var block = d.Block;
        if (d.Args.Count > 0)
        {
            switch (d.Args[0])
            {
                case "round_robin":
                    if (d.Args.Count > 1) { PluginArgs.Error(d, "loadbalance", $"unknown property for round_robin: '{d.Args[1]}'", bag, 1); return null; }
                    break;
                case "weighted":
                    if (d.Args.Count < 2) { PluginArgs.Error(d, "loadbalance", "missing weight file argument", bag); return null; }
                    if (d.Args.Count > 2) { PluginArgs.Error(d, "loadbalance", "unexpected argument(s)", bag, 2); return null; }
                    foreach (var opt in block)
                    {
                        if (opt.Name != "reload") { PluginArgs.Error(opt, "loadbalance", $"unknown property '{opt.Name}'", bag); ok = false; }
                        else if (opt.Args.Count != 1) { PluginArgs.Error(opt, "loadbalance", opt.Args.Count == 0 ? "reload duration value is missing" : "unexpected argument", bag); ok = false; }
                        else if (!PluginArgs.TryDuration(opt.Args[0], out _)) { PluginArgs.Error(opt, "loadbalance", $"invalid reload duration '{opt.Args[0]}'", bag, 0); ok = false; }
                    }
                    if (!ok) return null;
                    PluginArgs.NotHonoured(d, "loadbalance", "the weighted policy", "FastPath shuffles A and AAAA records round robin", bag);
                    return o with { Policy = "weighted", WeightFile = d.Args[1] };
                default:
                    PluginArgs.Error(d, "loadbalance", $"unknown policy: {d.Args[0]}", bag, 0);
                    return null;
            }
        }
        var prefer = new List<string>();
        foreach (var opt in block)
        {
            if (opt.Name != "prefer") { PluginArgs.Error(opt, "loadbalance", $"unknown property '{opt.Name}'", bag); ok = false; continue; }
            for (int i = 0; i < opt.Args.Count; i++)
            {
                if (Cidr.TryParse(opt.Args[i], out _)) prefer.Add(opt.Args[i]);
                else { PluginArgs.Error(opt, "loadbalance", $"invalid CIDR \"{opt.Args[i]}\"", bag, i); ok = false; }
            }
            if (ok) PluginArgs.NotHonoured(opt, "loadbalance", "prefer", "FastPath does not reorder answers by subnet", bag);
        }
        return ok ? o with { Prefer = prefer } : null;
    }
}
