using System.Collections.Generic;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Corefile.Plugins;

/// <summary>cache [TTL] [ZONES…] (plugin/cache/setup.go): caps 3600 s success, 1800 s denial, minimum 5 s.</summary>
public sealed record CacheOptions
{
    public IReadOnlyList<string> Zones { get; init; } = ["."];
    public int SuccessCapacity { get; init; } = 9984;
    public int SuccessTtl { get; init; } = 3600;
    public int SuccessMinTtl { get; init; } = 5;
    public int DenialCapacity { get; init; } = 9984;
    public int DenialTtl { get; init; } = 1800;
    public int DenialMinTtl { get; init; } = 5;
    public int ServfailTtl { get; init; } = 5;
    public bool KeepTtl { get; init; }

    internal static CacheOptions Parse(Directive d, DiagnosticBag bag)
    {
        var o = new CacheOptions();
        int zoneStart = 0;
        if (d.Args.Count > 0 && int.TryParse(d.Args[0], out _))
        {
            if (PluginArgs.Int(d, 0, 0, int.MaxValue, bag, "TTL") is int ttl) o = o with { SuccessTtl = ttl, DenialTtl = ttl };
            zoneStart = 1;
        }
        if (d.Args.Count > zoneStart) o = o with { Zones = KubernetesOptions.NormalizeZones(d, zoneStart, d.Args.Count, bag) };
        foreach (var opt in d.Block)
        {
            switch (opt.Name)
            {
                case "success":
                case "denial":
                    int? cap = PluginArgs.Int(opt, 0, 0, int.MaxValue, bag, opt.Name + " CAPACITY");
                    int? t = opt.Args.Count > 1 ? PluginArgs.Int(opt, 1, 0, int.MaxValue, bag, "TTL") : null;
                    int? min = opt.Args.Count > 2 ? PluginArgs.Int(opt, 2, 0, int.MaxValue, bag, "MINTTL") : null;
                    o = opt.Name == "success"
                        ? o with { SuccessCapacity = cap ?? o.SuccessCapacity, SuccessTtl = t ?? o.SuccessTtl, SuccessMinTtl = min ?? o.SuccessMinTtl }
                        : o with { DenialCapacity = cap ?? o.DenialCapacity, DenialTtl = t ?? o.DenialTtl, DenialMinTtl = min ?? o.DenialMinTtl };
                    break;
                case "servfail":
                    if (PluginArgs.Duration(opt, 0, bag, "servfail") is System.TimeSpan sf) o = o with { ServfailTtl = (int)sf.TotalSeconds };
                    break;
                case "keepttl": o = o with { KeepTtl = true }; break;
                case "prefetch": case "serve_stale": case "disable": break;
                default: PluginArgs.Unknown(d, opt, bag); break;
            }
        }
        return o;
    }
}
