using System;
using System.Collections.Generic;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Corefile.Plugins;

/// <summary>cache [TTL] [ZONES…] { … } (plugin/cache/setup.go): caps 3600 s success, 1800 s denial, minimum 5 s.</summary>
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
    /// <summary>serve_stale's limit; null when stale answers are not served.</summary>
    public TimeSpan? ServeStale { get; init; }
    public bool VerifyStale { get; init; }
    public bool PreferPositive { get; init; }
    public int Prefetch { get; init; }
    public IReadOnlyList<string> DisabledSuccess { get; init; } = [];
    public IReadOnlyList<string> DisabledDenial { get; init; } = [];

    internal static CacheOptions? Parse(Directive d, DiagnosticBag bag)
    {
        var o = new CacheOptions();
        int zoneStart = 0;
        if (d.Args.Count > 0 && PluginArgs.TryAtoi(d.Args[0], out long ttl))
        {
            if (ttl <= 0) { PluginArgs.Error(d, "cache", $"cache TTL can not be zero or negative: {ttl}", bag, 0); return null; }
            o = o with { SuccessTtl = Clamp(ttl), DenialTtl = Clamp(ttl) };
            zoneStart = 1;
        }
        if (d.Args.Count > zoneStart) o = o with { Zones = KubernetesOptions.NormalizeZones(d, zoneStart, d.Args.Count, bag) };
        bool ok = true, serveStale = false, policySeen = false;
        foreach (var opt in d.Block)
        {
            var a = opt.Args;
            switch (opt.Name)
            {
                case "success":
                case "denial":
                {
                    if (a.Count == 0) { Fail(opt, $"{opt.Name} needs CAPACITY [TTL [MINTTL]]"); break; }
                    if (!PluginArgs.TryAtoi(a[0], out long cap)) { Fail(opt, $"{opt.Name} capacity '{a[0]}' is not a number", 0); break; }
                    long t = -1, min = -1;
                    if (a.Count > 1 && (!PluginArgs.TryAtoi(a[1], out t) || t <= 0)) { Fail(opt, $"cache TTL can not be zero, negative or not a number: {a[1]}", 1); break; }
                    if (a.Count > 2 && (!PluginArgs.TryAtoi(a[2], out min) || min < 0)) { Fail(opt, $"cache min TTL can not be negative or not a number: {a[2]}", 2); break; }
                    if (a.Count > 3) { Fail(opt, $"unexpected argument '{a[3]}'", 3); break; }
                    o = opt.Name == "success"
                        ? o with { SuccessCapacity = Clamp(cap), SuccessTtl = t > 0 ? Clamp(t) : o.SuccessTtl, SuccessMinTtl = min >= 0 ? Clamp(min) : o.SuccessMinTtl }
                        : o with { DenialCapacity = Clamp(cap), DenialTtl = t > 0 ? Clamp(t) : o.DenialTtl, DenialMinTtl = min >= 0 ? Clamp(min) : o.DenialMinTtl };
                    break;
                }
                case "prefetch":
                {
                    if (a.Count == 0 || a.Count > 3) { Fail(opt, "prefetch takes AMOUNT [DURATION [PERCENTAGE%]]"); break; }
                    if (!PluginArgs.TryAtoi(a[0], out long amount) || amount < 0) { Fail(opt, $"prefetch amount should be a positive number: {a[0]}", 0); break; }
                    if (a.Count > 1 && !PluginArgs.TryDuration(a[1], out _)) { Fail(opt, $"prefetch duration '{a[1]}' is invalid", 1); break; }
                    if (a.Count > 2)
                    {
                        var pct = a[2];
                        if (!pct.EndsWith("%", StringComparison.Ordinal)) { Fail(opt, $"last character of percentage should be `%`, but is: '{pct[pct.Length - 1]}'", 2); break; }
                        if (!PluginArgs.TryAtoi(pct.Substring(0, pct.Length - 1), out long n) || n < 10 || n > 90) { Fail(opt, $"percentage should fall in range [10, 90]: {pct}", 2); break; }
                    }
                    o = o with { Prefetch = (int)Math.Min(amount, int.MaxValue) };
                    PluginArgs.NotHonoured(opt, "cache", "prefetch", "FastPath's cache refreshes an entry when it is asked for after expiry, not ahead of time", bag);
                    break;
                }
                case "serve_stale":
                    serveStale = true;
                    if (ParseServeStale(opt, bag) is { } stale)
                    {
                        o = o with { ServeStale = stale.UpTo, VerifyStale = stale.Verify };
                        PluginArgs.NotHonoured(opt, "cache", "serve_stale", "FastPath's cache never answers from an expired entry", bag);
                    }
                    else ok = false;
                    break;
                case "serve_stale_policy":
                    if (policySeen) { Fail(opt, "serve_stale_policy can only be specified once"); break; }
                    policySeen = true;
                    if (a.Count != 1) { Fail(opt, "serve_stale_policy takes one policy, prefer_positive"); break; }
                    if (!string.Equals(a[0], "prefer_positive", StringComparison.OrdinalIgnoreCase)) { Fail(opt, $"invalid serve_stale_policy: {a[0]}", 0); break; }
                    o = o with { PreferPositive = true };
                    break;
                case "servfail":
                    if (a.Count != 1) { Fail(opt, "servfail takes one duration"); break; }
                    if (!PluginArgs.TryDuration(a[0], out var sf)) { Fail(opt, $"servfail '{a[0]}' is not a duration", 0); break; }
                    if (sf < TimeSpan.Zero) { Fail(opt, "invalid negative ttl for servfail", 0); break; }
                    if (sf > TimeSpan.FromMinutes(5)) { Fail(opt, "caching SERVFAIL responses over 5 minutes is not permitted (RFC 2308)", 0); break; }
                    o = o with { ServfailTtl = (int)sf.TotalSeconds };
                    break;
                case "disable":
                {
                    if (a.Count < 1) { Fail(opt, "disable takes success or denial, then zones"); break; }
                    if (a[0] is not ("success" or "denial")) { Fail(opt, "cache type for disable must be \"success\" or \"denial\"", 0); break; }
                    var zones = a.Count > 1 ? KubernetesOptions.NormalizeZones(opt, 1, a.Count, bag) : ["."];
                    o = a[0] == "success" ? o with { DisabledSuccess = zones } : o with { DisabledDenial = zones };
                    PluginArgs.NotHonoured(opt, "cache", "disable", "FastPath's cache caches every zone it serves", bag);
                    break;
                }
                case "keepttl":
                    if (a.Count != 0) { Fail(opt, "keepttl takes no arguments", 0); break; }
                    o = o with { KeepTtl = true };
                    break;
                default:
                    Fail(opt, $"unknown property '{opt.Name}'");
                    break;
            }
        }
        if (policySeen && !serveStale) { PluginArgs.Error(d, "cache", "serve_stale_policy requires serve_stale", bag); ok = false; }
        return ok ? o : null;

        void Fail(Directive at, string message, int? arg = null) { PluginArgs.Error(at, "cache", message, bag, arg); ok = false; }
    }

    private static int Clamp(long v) => (int)Math.Max(int.MinValue, Math.Min(int.MaxValue, v));

    /// <summary>serve_stale [DURATION] [immediate|verify] [TIMEOUT if verify] [TTL] [RECHECK].</summary>
    private static (TimeSpan UpTo, bool Verify)? ParseServeStale(Directive opt, DiagnosticBag bag)
    {
        var a = opt.Args;
        if (a.Count > 5) return Bad("serve_stale takes at most five arguments");
        var upTo = TimeSpan.FromHours(1);
        if (a.Count > 0)
        {
            if (!PluginArgs.TryDuration(a[0], out upTo)) return Bad($"serve_stale duration '{a[0]}' is invalid", 0);
            if (upTo < TimeSpan.Zero) return Bad("invalid negative duration for serve_stale", 0);
        }
        bool verify = false;
        if (a.Count > 1)
        {
            var mode = a[1].ToLowerInvariant();
            if (mode is not ("immediate" or "verify")) return Bad($"invalid value for serve_stale refresh mode: {mode}", 1);
            verify = mode == "verify";
        }
        int next = 2;
        if (verify && a.Count > 2)
        {
            if (!PluginArgs.TryDuration(a[2], out var timeout)) return Bad($"invalid serve_stale verify timeout: {a[2]}", 2);
            if (timeout < TimeSpan.Zero) return Bad("invalid negative timeout for serve_stale verify", 2);
            next = 3;
        }
        else if (!verify && a.Count > 4) return Bad("serve_stale immediate takes at most TTL and RECHECK after the mode", 4);
        if (a.Count > next)
        {
            if (!PluginArgs.TryDuration(a[next], out var ttl)) return Bad($"invalid serve_stale response TTL: {a[next]}", next);
            if (ttl < TimeSpan.Zero) return Bad("invalid negative response TTL for serve_stale", next);
            if (ttl.Ticks % TimeSpan.TicksPerSecond != 0) return Bad("serve_stale response TTL must be a whole number of seconds", next);
            if (ttl.TotalSeconds > uint.MaxValue) return Bad("serve_stale response TTL exceeds the DNS TTL range", next);
        }
        if (a.Count > next + 1)
        {
            if (!PluginArgs.TryDuration(a[next + 1], out var recheck)) return Bad($"invalid serve_stale failure recheck: {a[next + 1]}", next + 1);
            if (recheck < TimeSpan.Zero) return Bad("invalid negative failure recheck for serve_stale", next + 1);
            if (recheck > TimeSpan.FromMinutes(5)) return Bad("serve_stale failure recheck cannot exceed 5 minutes", next + 1);
        }
        if (a.Count > next + 2) return Bad($"unexpected argument '{a[next + 2]}'", next + 2);
        return (upTo, verify);

        (TimeSpan, bool)? Bad(string message, int? arg = null) { PluginArgs.Error(opt, "cache", message, bag, arg); return null; }
    }
}
