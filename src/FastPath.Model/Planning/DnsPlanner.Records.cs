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
    /// <remarks>A struct: one is made per planned name.</remarks>
    internal readonly record struct Request(string Kind, string Ns, string Svc, string Endpoint, string Port, string Proto)
    {
        public static readonly Request Subtree = new("", "", "", "", "", "");
    }

    private static Request? Parse(string name, string z)
    {
        string rest = z == "." ? name.TrimEnd('.') : name.Length > z.Length ? name.Substring(0, name.Length - z.Length - 1) : "";
        if (rest is "" or "svc" or "pod") return Request.Subtree;
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
    private List<RecordTarget>? Records(string name, string z) => Records(name, Parse(name, z));

    /// <summary>
    /// The same, for a name whose labels are already known (<paramref name="known"/> is what <see cref="Parse"/> gives
    /// for it); a Service's records are written into <paramref name="into"/> when given (it is cleared first).
    /// </summary>
    private List<RecordTarget>? Records(string name, Request? known, List<RecordTarget>? into = null)
    {
        if (known is not { } r) return null;
        if (r.Kind == "") return [];
        if (name.EndsWith(".in-addr.arpa.", StringComparison.Ordinal) || name.EndsWith(".ip6.arpa.", StringComparison.Ordinal)) return null;
        if (!_view.IsExposed(r.Ns)) return null;
        return r.Kind == "pod" ? Pods(r) : ServicesOf(r, into);
    }

    private List<RecordTarget>? Pods(in Request r)
    {
        if (_options.Pods == PodMode.Disabled) return null;
        if (r.Svc == "") return [];
        string ip = r.Svc.Count(c => c == '-') == 3 && !r.Svc.Contains("--") ? r.Svc.Replace('-', '.') : r.Svc.Replace('-', ':');
        var target = NameRef.InZone($"{r.Svc}.{r.Ns}.pod");
        if (_options.Pods == PodMode.Insecure) return IpText.IsValid(ip) ? [new RecordTarget(ip, 0, target, _ttl, AddressOf(ip))] : null;
        var found = new List<RecordTarget>();
        foreach (var p in _view.PodsWithIp(ip))
            if (string.Equals(p.Namespace, r.Ns, StringComparison.OrdinalIgnoreCase)) found.Add(new RecordTarget(ip, 0, target, _ttl, AddressOf(ip)));
        return found.Count == 0 ? null : found;
    }

    private List<RecordTarget>? ServicesOf(in Request r, List<RecordTarget>? into)
    {
        if (r.Svc == "") return [];
        var result = into ?? new List<RecordTarget>();
        result.Clear();
        bool found = false;
        // Names are lower case (DNS-1123/1035) and so are the query's labels: one lookup finds the service.
        var only = _view.FindService(r.Ns, r.Svc);
        if (only is { } s)
        {
            var slices = _view.SlicesOf(s);
            if (_options.IgnoreEmptyService && !s.IsExternalName && !s.IsHeadless && ReadyCount(slices) == 0) return null;
            if (s.IsExternalName)
            {
                if (r.Endpoint.Length + r.Port.Length + r.Proto.Length > 0 || IpText.IsValid(s.ExternalName)) return null;
                result.Add(new RecordTarget(s.ExternalName!, 0, ServiceName(s), _ttl, null));
                return result;
            }
            if (s.IsHeadless || r.Endpoint.Length > 0)
            {
                foreach (var sl in slices)
                    for (int i = 0; i < sl.Names.Length; i++)
                    {
                        var epName = sl.Names[i];
                        if (r.Endpoint.Length > 0 && !string.Equals(r.Endpoint, epName, StringComparison.OrdinalIgnoreCase)) continue;
                        NameRef? target = null;
                        foreach (var p in sl.Ports)
                            if (Matches(r, p.Name, p.Protocol))
                            {
                                target ??= TargetOf(sl, i, ServiceName(s));
                                result.Add(new RecordTarget(sl.Ready[i].Ip, p.Port, target, _ttl, AddressOf(sl.Ready[i].Ip)));
                                found = true;
                            }
                    }
                return found ? result : null;
            }
            var ports = s.Ports.Count == 0 ? NoPorts : s.Ports;
            for (int pi = 0; pi < ports.Count; pi++)
            {
                var p = ports[pi];
                if (!Matches(r, p.Name, p.Protocol)) continue;
                found = true;
                for (int i = 0; i < s.ClusterIPs.Count; i++) result.Add(new RecordTarget(s.ClusterIPs[i], p.Port, ServiceName(s), _ttl, AddressOf(s.ClusterIPs[i])));
            }
        }
        return found ? result : null;
    }

    /// <summary>
    /// The zone-relative name of a slice's ready address <paramref name="i"/> (endpoint.service.namespace.svc), made
    /// once while one slice's names are planned: a headless Service's SRV answers name every endpoint once per
    /// port/protocol spelling. Only the slice met last is remembered, so the names die young as before.
    /// </summary>
    private NameRef TargetOf(SliceView sl, int i, NameRef service)
    {
        if (!ReferenceEquals(sl, _targetsOf))
        {
            _targetsOf = sl;
            if (_targets.Length < sl.Ready.Length) _targets = new NameRef?[sl.Ready.Length];
            else Array.Clear(_targets, 0, sl.Ready.Length);
        }
        return _targets[i] ??= NameRef.InZone(sl.Names[i] + "." + service.Text);
    }

    private SliceView? _targetsOf;
    private NameRef?[] _targets = new NameRef?[16];

    /// <summary>A Service without ports answers as one with the sentinel port -1.</summary>
    private static readonly ServicePort[] NoPorts = [new ServicePort { Port = -1, Protocol = "" }];

    private static int ReadyCount(List<SliceView> slices)
    {
        int n = 0;
        foreach (var sl in slices) n += sl.Ready.Length;
        return n;
    }

    /// <summary>&lt;service&gt;.&lt;namespace&gt;.svc under the zone, made once per service.</summary>
    private NameRef ServiceName(Service s)
    {
        if (!_serviceNames.TryGetValue((s.Namespace, s.Name), out var n)) _serviceNames[(s.Namespace, s.Name)] = n = NameRef.InZone(s.Name + "." + s.Namespace + ".svc");
        return n;
    }

    private readonly Dictionary<(string Ns, string Name), NameRef> _serviceNames = new();
    private Dictionary<string, byte[]?> _addresses;

    /// <summary>An address's bytes (4 or 16), or null when the text is not an address; each text is parsed once.</summary>
    private byte[]? AddressOf(string host)
    {
        if (!_addresses.TryGetValue(host, out var b))
            _addresses[host] = b = CanonicalV4(host) ? V4Bytes(host) : IpText.TryParse(host, out var ip) ? ip.GetAddressBytes() : null;
        return b;
    }

    /// <summary>The four bytes of a canonical dotted quad (what IpText.TryParse gives, without its split and IPAddress).</summary>
    private static byte[] V4Bytes(string t)
    {
        var b = new byte[4];
        int k = 0;
        foreach (char c in t)
        {
            if (c == '.') k++;
            else b[k] = (byte)(b[k] * 10 + (c - '0'));
        }
        return b;
    }

    private static bool Matches(in Request r, string? portName, string protocol) =>
        (r.Port == "" || string.Equals(r.Port, portName ?? "", StringComparison.OrdinalIgnoreCase)) &&
        (r.Proto == "" || string.Equals(r.Proto, protocol, StringComparison.OrdinalIgnoreCase));
}
