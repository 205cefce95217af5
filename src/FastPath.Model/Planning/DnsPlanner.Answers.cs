using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using FastPath.Model.Corefile;
using FastPath.Model.Net;
using FastPath.Model.Tables;
// The planner rewrite in flight still spells the query-type group QClass; the alias keeps that merge clean.
using QClass = FastPath.Model.Tables.QueryTypeGroup;

namespace FastPath.Model.Planning;

public sealed partial class DnsPlanner
{
    /// <summary>Something a name resolves to: an IP (its bytes) or a name (ExternalName), a port, the name it lives at, or TXT.</summary>
    /// <remarks>A struct: the planner makes one per address of every planned name.</remarks>
    private readonly struct RecordTarget
    {
        public RecordTarget(string host, int port, NameRef target, uint ttl, byte[]? address)
        {
            Host = host; Port = port; Target = target; Ttl = ttl; Address = address;
        }

        public string Host { get; }
        public int Port { get; }
        public NameRef Target { get; }
        public uint Ttl { get; }
        /// <summary>The address's bytes (4 or 16), or null when the host is a name.</summary>
        public byte[]? Address { get; }
        public bool IsIp => Address is not null;
    }

#if NET
    private static readonly QClass[] Classes = Enum.GetValues<QClass>(); // the Type overload makes its array at run time (IL3050)
#else
    private static readonly QClass[] Classes = (QClass[])Enum.GetValues(typeof(QClass));
#endif
    private const int NXDomain = 3;

    private readonly AnswerWriter _w = new();
    private readonly int[] _rcodes = new int[CompiledLayout.ClassCount];
    private readonly int[] _ids = new int[Classes.Length]; // scratch: the set table keeps a copy
    private int _nxId = -1, _nodataId = -1;

    /// <summary>
    /// Plans one name: every class's answer, encoded into the store; null when every class but SOA is NXDOMAIN (the
    /// engine answers such names by rule). Nothing is added to the store for a name that is left out.
    /// </summary>
    private PlanEntry? Entry(in Candidate c, int zi, string z)
    {
        string name = c.Name;
        var raw = c.Reverse ? null : Records(name, c.Known ?? Parse(name, z), _records);
        // A canonical IPv4 address is its own canonical text: no need to read it back from the reverse name.
        _ptrIp = c.Ip is { } made && CanonicalV4(made) ? made
            : c.Reverse || name.EndsWith(".arpa.", StringComparison.Ordinal) ? AddressOfReverseName(name) : null;
        bool nsName = IsNsName(name, z);
        bool exists = false;
        foreach (var qc in Classes)
        {
            _rcodes[(int)qc] = RcodeOf(name, z, qc, raw, nsName);
            if (qc != QClass.SOA && _rcodes[(int)qc] != NXDomain) exists = true;
        }
        if (!exists) return null;
        var ids = _ids;
        foreach (var qc in Classes) ids[(int)qc] = Encode(name, z, qc, raw, nsName);
        var flags = EntryFlags.None;
        if (name == z) flags |= EntryFlags.NsNeedsLowerCase;
        if (nsName) flags |= EntryFlags.ZoneNeedsLowerCase;
        return new PlanEntry(name, zi, flags, _sets.Add(ids), c.Source, c.Endpoint);
    }

    /// <summary>
    /// The planned name's own records: read while its answers are encoded and not after, so one list serves every name
    /// (a list per name was a tenth of a full build's allocations). Names reached through a CNAME get lists of their own.
    /// </summary>
    private readonly List<RecordTarget> _records = new();

    /// <summary>The reverse name's address (canonical), or null: found once per entry, read by PTR.</summary>
    private string? _ptrIp;

    private static bool IsNsName(string name, string z) =>
        z != "." && name.Length == 7 + z.Length && name.StartsWith("ns.dns.", StringComparison.Ordinal) && name.EndsWith(z, StringComparison.Ordinal);

    /// <summary>What the kubernetes plugin finds for the name and class before any record is written: null is NXDOMAIN.</summary>
    private List<RecordTarget>? Found(string name, string z, QClass qc, List<RecordTarget>? raw, bool nsName)
    {
        if (!nsName) return raw;
        return qc is QClass.A or QClass.AAAA ? NsBackends(qc) : [];
    }

    private int RcodeOf(string name, string z, QClass qc, List<RecordTarget>? raw, bool nsName)
    {
        switch (qc)
        {
            case QClass.TXT: return IsDnsVersion(name, z) || raw is { Count: > 0 } ? 0 : NXDomain;
            case QClass.PTR:
                var ip = _ptrIp;
                if (ip is null) return raw is null ? NXDomain : 0;
                return _view.ServiceWithIp(ip) is not null || _view.EndpointsByIp.ContainsKey(ip) ? 0 : NXDomain;
            case QClass.SOA: return 0;
            case QClass.NS when name == z: return 0;
            case QClass.CNAME: case QClass.MX: case QClass.SRV: return Found(name, z, qc, raw, nsName) is null ? NXDomain : 0;
            case QClass.AAAA: return Found(name, z, QClass.AAAA, raw, nsName) is null ? NXDomain : 0;
            default: return Found(name, z, QClass.A, raw, nsName) is null ? NXDomain : 0;
        }
    }

    /// <summary>Writes the whole answer for a name and class and returns its id in the store.</summary>
    private int Encode(string name, string z, QClass qc, List<RecordTarget>? raw, bool nsName)
    {
        if (_rcodes[(int)qc] == NXDomain) return Negative(NXDomain);
        _w.Reset();
        switch (qc)
        {
            case QClass.A: case QClass.AAAA:
                WriteAddress(name, z, qc == QClass.A ? PlanType.A : PlanType.AAAA, NameRef.QName, null, Found(name, z, qc, raw, nsName));
                break;
            case QClass.TXT:
                if (IsDnsVersion(name, z)) _w.Txt(Section.Answer, NameRef.QName, 28800, "1.1.0");
                break;
            case QClass.CNAME:
                var c = Found(name, z, QClass.CNAME, raw, nsName)!;
                if (c.Count > 0 && !c[0].IsIp) _w.NameRecord(Section.Answer, NameRef.QName, PlanType.CNAME, _ttl, NameRef.Literal(Fqdn(c[0].Host)));
                break;
            case QClass.PTR: WritePtr(); break;
            case QClass.SRV: WriteSrv(Found(name, z, QClass.SRV, raw, nsName)!); break;
            case QClass.SOA: if (name == z) WriteSoa(Section.Answer); break;
            case QClass.NS when name == z: WriteNs(); break;
        }
        return _w.Count(Section.Answer) == 0 ? Negative(0) : _w.Commit(_store, 0, _loadBalance);
    }

    /// <summary>NXDOMAIN or NODATA: no answer, the zone's SOA in authority. The same bytes for every name of the plan.</summary>
    private int Negative(int rcode)
    {
        ref int cached = ref rcode == NXDomain ? ref _nxId : ref _nodataId;
        if (cached >= 0) return cached;
        _w.Reset();
        WriteSoa(Section.Authority);
        return cached = _w.Commit(_store, rcode, _loadBalance);
    }

    private void WriteSoa(Section s) => _w.Soa(s, Math.Min(_ttl, 300u), _serial, _ttl);

    private static bool IsDnsVersion(string name, string z) =>
        z == "." ? name == "dns-version." : name.Length == 12 + z.Length && name.StartsWith("dns-version.", StringComparison.Ordinal) && name.EndsWith(z, StringComparison.Ordinal);

    private static string Fqdn(string n) => n.EndsWith(".", StringComparison.Ordinal) ? n : n + ".";

    /// <summary>
    /// How deep the server's lookups of itself go for CNAME targets outside the zone (the reference's upstream limit):
    /// past it the target gets no reply and its CNAME is dropped. Without it two ExternalNames naming each other across
    /// two zones would recurse until the stack overflows.
    /// </summary>
    private const int MaxUpstreamDepth = 8;

    /// <summary>
    /// A or AAAA records, following ExternalName CNAMEs: inside the zone recursively, elsewhere as the server would.
    /// Returns how many records it wrote, or -1 when the name does not exist. <paramref name="upstream"/> counts the
    /// server's lookups of itself that led here (see <see cref="MaxUpstreamDepth"/>).
    /// </summary>
    private int WriteAddress(string name, string z, PlanType family, NameRef owner, List<string>? previous, List<RecordTarget>? services, int upstream = 0)
    {
        if (services is null) return -1;
        int count = 0;
        HashSet<string>? seen = null;
        if (previous is null && _topSeen is { } reuse) { reuse.Clear(); seen = reuse; _topSeen = null; }
        foreach (var b in services)
        {
            if (b.Address is { } addr)
            {
                if ((family == PlanType.AAAA) == (addr.Length == 16) && (seen ??= new HashSet<string>(StringComparer.Ordinal)).Add(b.Host))
                {
                    _w.Address(Section.Answer, owner, b.Ttl, addr);
                    count++;
                }
                continue;
            }
            var target = Fqdn(b.Host);
            int depth = previous?.Count ?? 0;
            if (string.Equals(target, name, StringComparison.OrdinalIgnoreCase) || depth > 7) continue;
            if (previous is not null && Contains(previous, target)) continue;
            var lower = target.ToLowerInvariant();
            var literal = NameRef.Literal(target);
            if (ZoneName.IsSubdomain(z, lower))
            {
                var mark = _w.Here();
                _w.NameRecord(Section.Answer, owner, PlanType.CNAME, _ttl, literal);
                var chain = previous is null ? new List<string>() : new List<string>(previous);
                chain.Add(target);
                int next = WriteAddress(lower, z, family, literal, chain, ServicesAt(lower, z, family), upstream);
                if (next > 0) count += 1 + next;
                else _w.Rollback(mark);
                continue;
            }
            if (upstream > MaxUpstreamDepth) continue;
            _w.NameRecord(Section.Answer, owner, PlanType.CNAME, _ttl, literal);
            count++;
            // Out of this zone the server asks itself; another kubernetes zone of the block answers, anything else adds nothing.
            var other = LongestZone(lower);
            if (other is not null)
                count += Math.Max(0, WriteAddress(lower, other, family, literal, null, ServicesAt(lower, other, family), upstream + 1));
        }
        if (seen is not null && previous is null) _topSeen = seen; // hand the set back for the next answer
        return count;
    }

    private HashSet<string>? _topSeen = new(StringComparer.Ordinal);

    /// <summary>Whether the chain already holds the name (case-insensitive); a loop, so no closure is made per record.</summary>
    private static bool Contains(List<string> chain, string name)
    {
        foreach (var p in chain) if (string.Equals(p, name, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    /// <summary>What A or AAAA finds at a name reached through a CNAME.</summary>
    private List<RecordTarget>? ServicesAt(string name, string z, PlanType family) =>
        Found(name, z, family == PlanType.A ? QClass.A : QClass.AAAA, Records(name, z), IsNsName(name, z));

    private void WriteSrv(List<RecordTarget> found)
    {
        int ips = 0;
        foreach (var b in found) if (b.IsIp) ips++;
        int total = ips * 100; // every backend counts, sentinel ports too
        var srvSeen = _srvSeen;
        var addrSeen = _addrSeen;
        srvSeen.Clear();
        addrSeen.Clear();
        foreach (var b in found)
        {
            if (b.Port == -1 || b.Address is not { } addr) continue;
            ushort weight = (ushort)Math.Max(1, Math.Floor(100.0 / total * 100));
            if (srvSeen.Add((b.Target, b.Port))) _w.Srv(Section.Answer, NameRef.QName, _ttl, weight, (ushort)b.Port, b.Target);
            if (addrSeen.Add((b.Target, b.Host))) _w.Address(Section.Additional, b.Target, _ttl, addr);
        }
    }

    private readonly HashSet<(NameRef, int)> _srvSeen = new();
    private readonly HashSet<(NameRef, string)> _addrSeen = new();

    private void WriteNs()
    {
        var seen = new HashSet<NameRef>();
        foreach (var (nsName, ip) in NsAddrs())
        {
            _w.Address(Section.Additional, nsName, _ttl, ip.GetAddressBytes());
            if (seen.Add(nsName)) _w.NameRecord(Section.Answer, NameRef.QName, PlanType.NS, _ttl, nsName);
        }
    }

    private List<RecordTarget> NsBackends(QClass qc)
    {
        var result = new List<RecordTarget>();
        foreach (var (nsName, ip) in NsAddrs())
            if ((ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) == (qc == QClass.AAAA))
                result.Add(new RecordTarget(ip.ToString(), 0, nsName, _ttl, ip.GetAddressBytes()));
        return result;
    }

    /// <summary>The server's names: the Services whose ready endpoints hold one of its addresses, else ns.dns.</summary>
    private List<(NameRef Name, IPAddress Ip)> NsAddrs()
    {
        if (_nsAddrs is not null) return _nsAddrs;
        var result = new List<(NameRef, IPAddress)>();
        foreach (var local in _dnsIps)
        {
            var text = local.ToString();
            foreach (var sl in _view.AllSlices)
            {
                bool holds = false;
                foreach (var r in sl.Ready) if (r.Ip == text) { holds = true; break; }
                if (!holds) continue;
                var svc = _view.FindService(sl.Namespace, sl.Service);
                if (svc is null) continue;
                if (svc.IsHeadless)
                {
                    foreach (var (e, ip) in sl.Ready)
                        if (IpText.TryParse(ip, out var a)) result.Add((NameRef.InZone($"{_view.NameOf(e, ip)}.{svc.Name}.{svc.Namespace}.svc"), a));
                }
                else
                    foreach (var cip in svc.ClusterIPs)
                        if (IpText.TryParse(cip, out var a)) result.Add((NameRef.InZone($"{svc.Name}.{svc.Namespace}.svc"), a));
            }
        }
        if (result.Count == 0) foreach (var local in _dnsIps) result.Add((NameRef.NsDns, local));
        return _nsAddrs = result;
    }

    private List<(NameRef Name, IPAddress Ip)>? _nsAddrs;

    private void WritePtr()
    {
        var ip = _ptrIp;
        if (ip is null) return; // a forward name: NODATA
        var primary = _primary ??= _options.PrimaryZone ?? ".";
        if (_view.ServiceWithIp(ip) is { } s)
        {
            _w.NameRecord(Section.Answer, NameRef.QName, PlanType.PTR, _ttl, NameRef.Literal($"{s.Name}.{s.Namespace}.svc.{primary}"));
            return;
        }
        var seen = _ptrSeen;
        seen.Clear();
        if (_view.EndpointsByIp.TryGetValue(ip, out var eps))
            for (int i = 0; i < eps.Count; i++)
            {
                var (sl, e) = eps[i];
                // endpoint.service.namespace.svc.primary, written from its two parts: a string per reverse name was
                // about 150 bytes (the name, its endpoint label, a NameRef) of every endpoint of a full build. The
                // suffix always has four or more labels of fixed meaning, so two pairs name one host only when equal.
                var target = (EndpointName(sl, e, ip), PtrSuffix(sl, primary));
                if (seen.Add(target)) _w.PtrRecord(NameRef.QName, _ttl, target.Item1, target.Item2);
            }
    }

    /// <summary>
    /// The endpoint's label: the one the slice's forward names were planned with when the slice still holds its names
    /// (a full build), else made again (a live update must not keep every slice's names it reads).
    /// </summary>
    private string EndpointName(SliceView sl, Endpoint e, string ip)
    {
        if (sl.MadeNames is { } names)
        {
            var ready = sl.Ready;
            for (int k = 0; k < ready.Length; k++)
                if (ReferenceEquals(ready[k].Endpoint, e) && ready[k].Ip == ip) return names[k];
        }
        return _view.NameOf(e, ip);
    }

    /// <summary>service.namespace.svc.primary for the slice met last (a slice's endpoints' reverse names come together).</summary>
    private string PtrSuffix(SliceView sl, string primary)
    {
        if (!ReferenceEquals(sl, _ptrSuffixOf)) (_ptrSuffixOf, _ptrSuffix) = (sl, $"{sl.Service}.{sl.Namespace}.svc.{primary}");
        return _ptrSuffix!;
    }

    private SliceView? _ptrSuffixOf;
    private string? _ptrSuffix;
    private string? _primary;
    private readonly HashSet<(string, string)> _ptrSeen = new();

    /// <summary>The canonical address a full in-addr.arpa or ip6.arpa name stands for; null otherwise.</summary>
    internal static string? AddressOfReverseName(string name)
    {
        if (name.EndsWith(".in-addr.arpa.", StringComparison.Ordinal))
        {
            var labels = name.Split('.');
            if (labels.Length != 7) return null; // four labels, in-addr, arpa, and the empty root
            var b = new byte[4];
            for (int i = 0; i < 4; i++)
                if (!byte.TryParse(labels[3 - i], NumberStyles.None, CultureInfo.InvariantCulture, out b[i])) return null;
            return new IPAddress(b).ToString();
        }
        if (name.EndsWith(".ip6.arpa.", StringComparison.Ordinal))
        {
            var labels = name.Split('.');
            if (labels.Length != 35) return null;
            var b = new byte[16];
            for (int i = 0; i < 32; i++)
            {
                var l = labels[31 - i];
                if (l.Length != 1 || !int.TryParse(l, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int nib)) return null;
                b[i / 2] |= (byte)(i % 2 == 0 ? nib << 4 : nib);
            }
            return new IPAddress(b).ToString();
        }
        return null;
    }
}
