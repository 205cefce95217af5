using System;
using System.Collections.Generic;
using System.Linq;
using FastPath.Model.Corefile;
using FastPath.Model.Corefile.Plugins;
using FastPath.Model.Net;
using FastPath.Model.Tables;
// The planner rewrite in flight still spells the query-type group QClass; the alias keeps that merge clean.
using QClass = FastPath.Model.Tables.QueryTypeGroup;

namespace FastPath.Model.Planning;

public sealed partial class DnsPlanner
{
    /// <summary>The labels of a name under a kubernetes zone, right to left: (svc|pod).namespace.service[.endpoint | .port.proto].</summary>
    private sealed record Request(string Kind, string Ns, string Svc, string Ep, string Port, string Proto);

    private static Request? Parse(string name, string z)
    {
        string rest = z == "." ? name.TrimEnd('.') : name.Length > z.Length ? name.Substring(0, name.Length - z.Length - 1) : "";
        if (rest is "" or "svc" or "pod") return new Request("", "", "", "", "", "");
        var l = rest.Split('.');
        int n = l.Length;
        if (l[n - 1] is not ("svc" or "pod")) return null;
        if (n > 5) return null;
        string At(int fromRight) => n - 1 - fromRight >= 0 ? l[n - 1 - fromRight] : "";
        string Strip(string s) => s.StartsWith("_", StringComparison.Ordinal) ? s.Substring(1) : s;
        return n switch
        {
            5 => new Request(At(0), At(1), At(2), "", Strip(l[0]), Strip(l[1])),
            4 => new Request(At(0), At(1), At(2), l[0], "", ""),
            _ => new Request(At(0), At(1), At(2), "", "", ""),
        };
    }

    /// <summary>What the kubernetes plugin finds for a name (before the question type is looked at); null is a name error (NXDOMAIN).</summary>
    private List<Bk>? Records(string name, string z)
    {
        var r = Parse(name, z);
        if (r is null) return null;
        if (r.Kind == "") return [];
        if (name.EndsWith(".in-addr.arpa.", StringComparison.Ordinal) || name.EndsWith(".ip6.arpa.", StringComparison.Ordinal)) return null;
        if (!_v.IsExposed(r.Ns)) return null;
        return r.Kind == "pod" ? Pods(r) : ServicesOf(r);
    }

    private List<Bk>? Pods(Request r)
    {
        if (_k.Pods == PodMode.Disabled) return null;
        if (r.Svc == "") return [];
        string ip = r.Svc.Count(c => c == '-') == 3 && !r.Svc.Contains("--") ? r.Svc.Replace('-', '.') : r.Svc.Replace('-', ':');
        var target = NameRef.InZone($"{r.Svc}.{r.Ns}.pod");
        if (_k.Pods == PodMode.Insecure) return IpText.IsValid(ip) ? [new Bk(ip, 0, target, _ttl)] : null;
        var found = new List<Bk>();
        foreach (var p in _v.PodsWithIp(ip))
            if (string.Equals(p.Namespace, r.Ns, StringComparison.OrdinalIgnoreCase)) found.Add(new Bk(ip, 0, target, _ttl));
        return found.Count == 0 ? null : found;
    }

    private List<Bk>? ServicesOf(Request r)
    {
        if (r.Svc == "") return [];
        var result = new List<Bk>();
        bool found = false;
        // Names are lower case (DNS-1123/1035) and so are the query's labels: one lookup finds the service.
        var only = _v.FindService(r.Ns, r.Svc);
        foreach (var s in only is null ? [] : new[] { only })
        {
            var slices = _v.SlicesOf(s);
            if (_k.IgnoreEmptyService && !s.IsExternalName && !s.IsHeadless && slices.Sum(x => x.Ready.Count) == 0) continue;
            string prefix = $"{s.Name}.{s.Namespace}.svc";
            if (s.IsExternalName)
            {
                if (r.Ep.Length + r.Port.Length + r.Proto.Length > 0 || IpText.IsValid(s.ExternalName)) continue;
                result.Add(new Bk(s.ExternalName!, 0, NameRef.InZone(prefix), _ttl));
                found = true;
                continue;
            }
            if (s.IsHeadless || r.Ep.Length > 0)
            {
                foreach (var sl in slices)
                    foreach (var (e, ip) in sl.Ready)
                    {
                        var epName = _v.NameOf(e, ip);
                        if (r.Ep.Length > 0 && !string.Equals(r.Ep, epName, StringComparison.OrdinalIgnoreCase)) continue;
                        foreach (var p in sl.Ports)
                            if (Matches(r, p.Name, p.Protocol)) { result.Add(new Bk(ip, p.Port, NameRef.InZone($"{epName}.{prefix}"), _ttl)); found = true; }
                    }
                continue;
            }
            var ports = s.Ports.Count == 0 ? [new ServicePort { Port = -1, Protocol = "" }] : s.Ports;
            foreach (var p in ports)
            {
                if (!Matches(r, p.Name, p.Protocol)) continue;
                found = true;
                foreach (var ip in s.ClusterIPs) result.Add(new Bk(ip, p.Port, NameRef.InZone(prefix), _ttl));
            }
        }
        return found ? result : null;
    }

    private static bool Matches(Request r, string? portName, string protocol) =>
        (r.Port == "" || string.Equals(r.Port, portName ?? "", StringComparison.OrdinalIgnoreCase)) &&
        (r.Proto == "" || string.Equals(r.Proto, protocol, StringComparison.OrdinalIgnoreCase));
}
