using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Corefile.Plugins;

/// <summary>forward FROM TO… { … } (plugin/forward/setup.go parseStanza and parseBlock).</summary>
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
    public TimeSpan MaxAge { get; init; }
    public int MaxIdleConns { get; init; }
    public string? SourceAddress { get; init; }

    private const int MaxUpstreams = 15;

    internal static ForwardOptions? Parse(Directive d, DiagnosticBag bag)
    {
        if (d.Args.Count < 2) { PluginArgs.Error(d, "forward", "needs FROM and at least one TO", bag); return null; }
        var from = FromZone(d, bag);
        if (from is null) return null;
        var to = new List<string>();
        bool ok = true;
        for (int i = 1; i < d.Args.Count; i++)
        {
            if (CheckUpstream(d.Args[i]) is { } why) { PluginArgs.Error(d, "forward", why, bag, i); ok = false; }
            else to.Add(d.Args[i]);
            var t = d.Args[i];
            if (ok && (t.StartsWith("tls://", StringComparison.Ordinal) || t.StartsWith("https://", StringComparison.Ordinal)))
                PluginArgs.NotHonoured(d, "forward", $"the upstream '{t}'", "FastPath forwards over plain DNS (UDP, then TCP) only; this upstream is never asked", bag);
        }
        if (to.Count > MaxUpstreams) { PluginArgs.Error(d, "forward", $"more than {MaxUpstreams} upstreams", bag, MaxUpstreams + 1); ok = false; }
        var o = new ForwardOptions { From = from, To = to };
        string? tlsServerName = null;
        foreach (var opt in d.Block)
        {
            var a = opt.Args;
            switch (opt.Name)
            {
                case "except":
                    if (a.Count == 0) { Fail(opt, "except needs at least one zone"); break; }
                    o = o with { Except = KubernetesOptions.NormalizeZones(opt, 0, a.Count, bag) };
                    break;
                case "policy":
                    if (a.Count != 1) { Fail(opt, "policy takes random, round_robin or sequential"); break; }
                    if (a[0] is "random" or "round_robin" or "sequential") o = o with { Policy = a[0] };
                    else Fail(opt, $"unknown policy '{a[0]}'", 0);
                    break;
                case "max_fails":
                    if (One(opt) && Uint(opt, 32) is { } mf) { o = o with { MaxFails = (int)Math.Min(mf, int.MaxValue) }; Ignored(opt, "FastPath does not mark upstreams down"); }
                    break;
                case "max_connect_attempts":
                    if (One(opt) && Uint(opt, 32) is not null) Ignored(opt, "FastPath asks each upstream once per query");
                    break;
                case "health_check":
                    if (a.Count == 0) { Fail(opt, "health_check needs a duration"); break; }
                    if (!PluginArgs.TryDuration(a[0], out var hc)) { Fail(opt, $"health_check: time: invalid duration \"{a[0]}\"", 0); break; }
                    if (hc < TimeSpan.Zero) { Fail(opt, "health_check can't be negative", 0); break; }
                    bool hcOk = true;
                    for (int i = 1; i < a.Count && hcOk; i++)
                    {
                        if (a[i] == "no_rec") continue;
                        if (a[i] != "domain") { Fail(opt, $"health_check: unknown option {a[i]}", i); hcOk = false; break; }
                        if (i + 1 >= a.Count) { Fail(opt, "Wrong argument count or unexpected line ending after 'domain'", i); hcOk = false; break; }
                        if (!IsDomainName(a[++i])) { Fail(opt, $"health_check: invalid domain name {a[i]}", i); hcOk = false; }
                    }
                    if (hcOk) { o = o with { HealthCheck = hc }; Ignored(opt, "FastPath sends no health-check queries"); }
                    break;
                case "force_tcp":
                case "prefer_udp":
                    if (a.Count != 0) { Fail(opt, $"{opt.Name} takes no arguments", 0); break; }
                    o = opt.Name == "force_tcp" ? o with { ForceTcp = true } : o with { PreferUdp = true };
                    Ignored(opt, "FastPath asks over UDP and retries over TCP when the answer is truncated");
                    break;
                case "tls":
                    if (a.Count > 3) { Fail(opt, "tls takes at most CERT KEY CA"); break; }
                    Ignored(opt, "FastPath forwards over plain DNS only");
                    break;
                case "tls_servername":
                    if (One(opt)) { tlsServerName = a[0]; Ignored(opt, "FastPath forwards over plain DNS only"); }
                    break;
                case "expire":
                case "max_age":
                case "read_timeout":
                    if (!One(opt)) break;
                    if (!PluginArgs.TryDuration(a[0], out var dur)) { Fail(opt, $"{opt.Name}: time: invalid duration \"{a[0]}\"", 0); break; }
                    if (opt.Name == "read_timeout" ? dur <= TimeSpan.Zero : dur < TimeSpan.Zero) { Fail(opt, opt.Name == "read_timeout" ? "read_timeout must be positive" : $"{opt.Name} can't be negative", 0); break; }
                    o = opt.Name == "expire" ? o with { Expire = dur } : opt.Name == "max_age" ? o with { MaxAge = dur } : o;
                    Ignored(opt, "FastPath does not keep upstream connections open");
                    break;
                case "max_idle_conns":
                case "max_concurrent":
                    if (!One(opt)) break;
                    if (!PluginArgs.TryAtoi(a[0], out long n)) { Fail(opt, $"{opt.Name}: invalid number '{a[0]}'", 0); break; }
                    if (n < 0) { Fail(opt, $"{opt.Name} can't be negative: {n}", 0); break; }
                    if (opt.Name == "max_idle_conns") { o = o with { MaxIdleConns = (int)Math.Min(n, int.MaxValue) }; Ignored(opt, "FastPath does not keep upstream connections open"); }
                    else o = o with { MaxConcurrent = (int)Math.Min(n, int.MaxValue) }; // see docs/validation.md: bounded by the server's own limits
                    break;
                case "doh_method":
                    if (!One(opt)) break;
                    if (a[0] is not ("POST" or "GET")) { Fail(opt, "doh_method must be either POST or GET", 0); break; }
                    Ignored(opt, "FastPath forwards over plain DNS only");
                    break;
                case "next":
                case "failover":
                    if (a.Count == 0) { Fail(opt, $"{opt.Name} needs at least one rcode"); break; }
                    bool rcOk = true;
                    for (int i = 0; i < a.Count; i++)
                    {
                        var rc = a[i].ToUpperInvariant();
                        if (!Rcodes.Contains(rc)) { Fail(opt, $"{a[i]} is not a valid rcode", i); rcOk = false; break; }
                        if (opt.Name == "failover" && rc == "NOERROR") { Fail(opt, "NoError cannot be used in failover", i); rcOk = false; break; }
                    }
                    if (rcOk) Ignored(opt, opt.Name == "next" ? "FastPath has no next plugin after forward" : "FastPath returns the first upstream's answer");
                    break;
                case "next_on_nodata":
                case "failfast_all_unhealthy_upstreams":
                    if (a.Count != 0) { Fail(opt, $"{opt.Name} takes no arguments", 0); break; }
                    Ignored(opt, opt.Name == "next_on_nodata" ? "FastPath has no next plugin after forward" : "FastPath does not mark upstreams down");
                    break;
                case "resolver":
                    if (a.Count == 0) { Fail(opt, "resolver needs at least one IP or IP:port"); break; }
                    for (int i = 0; i < a.Count; i++)
                        if (!IPAddress.TryParse(a[i], out _) && !IsIpPort(a[i])) { Fail(opt, $"resolver must be an IP address or IP:port: \"{a[i]}\"", i); break; }
                    Ignored(opt, "FastPath does not resolve upstream host names");
                    break;
                case "source_address":
                    if (!One(opt)) break;
                    if (!IPAddress.TryParse(a[0], out _)) { Fail(opt, $"invalid IP address: {a[0]}", 0); break; }
                    o = o with { SourceAddress = a[0] };
                    Ignored(opt, "FastPath sends from the address the operating system picks");
                    break;
                default:
                    Fail(opt, $"unknown property '{opt.Name}'");
                    break;
            }
        }
        if (o.MaxAge > TimeSpan.Zero && o.MaxAge < o.Expire) { PluginArgs.Error(d, "forward", $"max_age ({o.MaxAge.TotalSeconds}s) must not be less than expire ({o.Expire.TotalSeconds}s)", bag); ok = false; }
        if (tlsServerName is not null)
            foreach (var t in to)
                if (t.StartsWith("tls://", StringComparison.Ordinal) && t.IndexOf('%') > 0)
                { PluginArgs.Error(d, "forward", $"both forward ('{tlsServerName}') and proxy level TLS servernames are set for upstream proxy '{t}'", bag); ok = false; break; }
        return ok ? o : null;

        void Fail(Directive at, string message, int? arg = null) { PluginArgs.Error(at, "forward", message, bag, arg); ok = false; }
        void Ignored(Directive at, string why) => PluginArgs.NotHonoured(at, "forward", "'" + at.Name + "'", why, bag);
        bool One(Directive at)
        {
            if (at.Args.Count == 1) return true;
            Fail(at, at.Args.Count == 0 ? $"Wrong argument count or unexpected line ending after '{at.Name}'" : $"{at.Name} takes one value", at.Args.Count == 0 ? null : 1);
            return false;
        }
        ulong? Uint(Directive at, int bits)
        {
            if (ulong.TryParse(at.Args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var v) && (bits >= 64 || v < 1UL << bits)) return v;
            Fail(at, $"{at.Name}: invalid number '{at.Args[0]}'", 0);
            return null;
        }
    }

    /// <summary>FROM: a zone, or a CIDR whose first reverse zone is used (CoreDNS warns when it expands to several).</summary>
    private static string? FromZone(Directive d, DiagnosticBag bag)
    {
        var text = d.Args[0];
        var zone = ZoneName.Normalize(text);
        if (zone is null && Model.Net.Cidr.TryParse(text, out var cidr) && cidr.Family == Model.IpFamily.IPv4)
        {
            // A non-octet CIDR expands to several zones; CoreDNS keeps the first and logs that it did.
            int prefix = (cidr.Prefix + 7) / 8 * 8;
            zone = ZoneName.Normalize(cidr.Network + "/" + prefix.ToString(CultureInfo.InvariantCulture));
            if (zone is not null) PluginArgs.NotHonoured(d, "forward", $"'{text}'", $"it expands to several reverse zones; only {zone} is forwarded, as CoreDNS does", bag);
        }
        if (zone is null || !IsDomainName(zone)) { PluginArgs.Error(d, "forward", $"unable to normalize '{text}'", bag, 0); return null; }
        return zone;
    }

    /// <summary>The forms parse.HostPortOrFile and the transport prefixes accept; host names are refused (see docs).</summary>
    private static string? CheckUpstream(string to)
    {
        var rest = to;
        string transport = "dns";
        int sep = to.IndexOf("://", StringComparison.Ordinal);
        if (sep >= 0) { transport = to.Substring(0, sep); rest = to.Substring(sep + 3); }
        if (transport is not ("dns" or "tls" or "https")) return $"'{transport}' is not supported as a destination protocol in forward: {to}";
        if (transport == "https")
        {
            if (rest.IndexOf('/') >= 0) return $"paths are not allowed in HTTPS upstream addresses (the /dns-query path is used by default): {to}";
        }
        else if (transport == "dns" && (rest.StartsWith("/", StringComparison.Ordinal) || rest.StartsWith(".", StringComparison.Ordinal))) return null; // a resolv.conf file
        // Strip a TLS server name (tls://1.2.3.4%name:853 or [v6%name]:853).
        int pct = rest.IndexOf('%');
        if (pct >= 0)
        {
            int close = rest.IndexOf(']', pct);
            int colon = rest.IndexOf(':', close >= 0 ? close : pct);
            rest = rest.Substring(0, pct) + (close >= 0 ? "]" : "") + (colon >= 0 ? rest.Substring(colon) : "");
        }
        if (IPAddress.TryParse(rest.Trim('[', ']'), out _)) return null;
        if (IsIpPort(rest)) return null;
        return $"not an IP address or file: \"{to}\"; FastPath does not resolve upstream host names at load time";
    }

    /// <summary>IP:PORT or [IPv6]:PORT.</summary>
    private static bool IsIpPort(string s)
    {
        int colon = s.LastIndexOf(':');
        if (colon <= 0) return false;
        var host = s.Substring(0, colon);
        if (host.StartsWith("[", StringComparison.Ordinal) && host.EndsWith("]", StringComparison.Ordinal)) host = host.Substring(1, host.Length - 2);
        else if (host.IndexOf(':') >= 0) return false;
        return IPAddress.TryParse(host, out _)
            && int.TryParse(s.Substring(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port >= 0 && port <= 65535;
    }

    private static bool IsDomainName(string name)
    {
        if (name == ".") return true;
        var n = name.EndsWith(".", StringComparison.Ordinal) ? name.Substring(0, name.Length - 1) : name;
        if (n.Length == 0 || n.Length > 253) return false;
        foreach (var label in n.Split('.')) if (label.Length == 0 || label.Length > 63) return false;
        return true;
    }

    private static readonly HashSet<string> Rcodes = new(StringComparer.Ordinal)
    { "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE", "BADSIG", "BADVERS", "BADKEY", "BADTIME", "BADMODE", "BADNAME", "BADALG", "BADTRUNC", "BADCOOKIE" };
}
