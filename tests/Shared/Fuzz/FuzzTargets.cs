using System;
using System.Linq;
using System.Text;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Live;
using FastPath.Model;
using FastPath.Model.Loading;
using FastPath.Reference.Dns;
using FastPath.Server;

namespace FastPath.Fuzz;

/// <summary>
/// Every parser a DNS packet meets, run on one packet: the query check and question reader, the name and whole-message
/// readers, EDNS0, and both engines' wire responders. <see cref="Check"/> returns what is wrong (null when all is
/// well); an exception escaping it is a crash. The response must match the verdict (dropped, or FORMERR/NOTIMP/SERVFAIL
/// with the header alone, or REFUSED), and the engines must agree: byte for byte on every refusal, and on the header
/// and question of every answer; the records of an answer must be the same, section by section, though their names
/// may be compressed differently (the compiled engine's precomputed bytes point only into the question).
/// </summary>
public sealed class FuzzTargets
{
    /// <summary>A small cluster with every kind of answer: addresses, headless, SRV, ExternalName across zones, pods, forward.</summary>
    public const string Yaml = """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec: {clusterIP: 10.96.0.10, ports: [{name: http, port: 80}]}
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: web-1, namespace: shop, labels: {kubernetes.io/service-name: web}}
        addressType: IPv4
        ports: [{name: http, port: 8080, protocol: TCP}]
        endpoints:
        - {addresses: [10.1.0.1], conditions: {ready: true}}
        - {addresses: [10.1.0.2], conditions: {ready: true}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: db, namespace: shop}
        spec: {clusterIP: None, ports: [{name: pg, port: 5432}]}
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: db-1, namespace: shop, labels: {kubernetes.io/service-name: db}}
        addressType: IPv4
        ports: [{name: pg, port: 5432, protocol: TCP}]
        endpoints:
        - {addresses: [10.1.1.1], conditions: {ready: true}, hostname: db-0}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: far, namespace: shop}
        spec: {type: ExternalName, externalName: web.shop.svc.other.local}
        """;

    public const string Corefile = """
        .:53 {
            kubernetes cluster.local other.local in-addr.arpa {
                pods insecure
            }
            forward . 192.0.2.53
        }
        """;

    private readonly IDnsEngine _compiled, _reference;
    private readonly byte[] _a = new byte[4096], _b = new byte[4096];
    private readonly StringBuilder _name = new();

    public FuzzTargets()
    {
        var load = ClusterLoader.LoadTexts([new ManifestText("fuzz.yaml", Yaml)], new LoadOptions { CorefileText = Corefile });
        var cluster = load.Cluster ?? throw new InvalidOperationException("the fuzz cluster does not load:\n" + string.Join("\n", load.Diagnostics));
        System.Net.IPAddress[] dnsIps = [System.Net.IPAddress.Parse("10.96.0.53")];
        _compiled = new CompiledEngine(ClusterSnapshot.Build(cluster, dnsIps).Dns);
        _reference = new ReferenceEngine(new ReferenceResolver(cluster, new ReferenceDnsOptions { DnsIPs = dnsIps }));
    }

    /// <summary>Packets checked, by verdict.</summary>
    public long[] Verdicts { get; } = new long[Enum.GetValues<QueryVerdict>().Length];

    public string? Check(byte[] packet)
    {
        var verdict = DnsWireReader.CheckQuery(packet, out int nameEnd, out _, out _, out _);
        Verdicts[(int)verdict]++;
        var question = DnsWireReader.ReadQuestion(packet, out int qEnd, out _, out _);
        if (verdict == QueryVerdict.Answer && (question != WireError.None || qEnd != nameEnd)) return $"the query check accepts a question the question reader refuses ({question})";
        if (nameEnd > packet.Length) return $"question end {nameEnd} past the packet ({packet.Length})";
        _name.Clear();
        int p = DnsWireReader.HeaderLength;
        var nameError = DnsWireReader.ReadName(packet, ref p, _name);
        if (nameError == WireError.None && (p > packet.Length || _name.Length > 4 * 255 + 1)) return $"name reader went to {p} of {packet.Length}, {_name.Length} characters";
        DnsWireReader.ReadMessage(packet);
        int payload = Edns.ClientPayloadSize(packet, verdict is QueryVerdict.Answer or QueryVerdict.BadVers ? nameEnd + 4 : DnsWireReader.HeaderLength, out int version);
        if ((verdict == QueryVerdict.BadVers) != (version != 0 && verdict is QueryVerdict.Answer or QueryVerdict.BadVers))
            return $"verdict {verdict} but the server reads EDNS version {version}";
        if (payload != 0 && payload < 512) return $"EDNS0 payload size {payload} below 512";

        int na = _compiled.Respond(packet, _a, out var oa, out var ua);
        int nb = _reference.Respond(packet, _b, out var ob, out var ub);
        if (!Agree(verdict, na, nb, nameEnd) || oa != ob || !ua.SequenceEqual(ub))
            return $"compiled and reference differ ({verdict}):\n  compiled  {oa} {Convert.ToHexString(_a, 0, Math.Max(na, 0))}\n  reference {ob} {Convert.ToHexString(_b, 0, Math.Max(nb, 0))}";
        if ((verdict == QueryVerdict.Drop) != (na < 0)) return $"verdict {verdict} but the engine returned {na}";
        if (na < 0) return null;
        if (na < DnsWireReader.HeaderLength || (_a[2] & 0x80) == 0 || _a[0] != packet[0] || _a[1] != packet[1]) return "the response is not a response to this ID";
        var rcode = (Rcode)(_a[3] & 0xF);
        var expected = verdict switch { QueryVerdict.FormErr => Rcode.FormErr, QueryVerdict.NotImp => Rcode.NotImp, QueryVerdict.ServFail => Rcode.ServFail, QueryVerdict.Refused => Rcode.Refused, _ => (Rcode?)null };
        if (expected is { } e && (rcode != e || (verdict != QueryVerdict.Refused && na != DnsWireReader.HeaderLength))) return $"verdict {verdict} answered {rcode} in {na} bytes";
        if (verdict == QueryVerdict.BadVers && !IsBadVers(packet, nameEnd, na)) return $"verdict BadVers answered {Convert.ToHexString(_a, 0, na)}";
        if (DnsWireReader.ReadMessage(_a.AsSpan(0, na)) is null) return "the response does not parse";
        return null;
    }

    /// <summary>CoreDNS's BADVERS: the question as asked, header rcode 0, ARCOUNT 1, one OPT of version 0 with extended rcode 1, UDP size 0.</summary>
    private bool IsBadVers(byte[] packet, int nameEnd, int na)
    {
        byte[] opt = [0, 0, 41, 0, 0, 1, 0, 0, 0, 0, 0];
        return na == nameEnd + 4 + opt.Length && (_a[3] & 0xF) == 0 && _a[5] == 1 && _a[7] == 0 && _a[9] == 0 && _a[10] == 0 && _a[11] == 1
            && _a.AsSpan(12, nameEnd - 8).SequenceEqual(packet.AsSpan(12, nameEnd - 8)) && _a.AsSpan(nameEnd + 4, opt.Length).SequenceEqual(opt);
    }

    private bool Agree(QueryVerdict verdict, int na, int nb, int nameEnd)
    {
        if (na < 0 || nb < 0) return na == nb;
        if (verdict != QueryVerdict.Answer) return _a.AsSpan(0, na).SequenceEqual(_b.AsSpan(0, nb));
        // Header (ID, flags, rcode, counts) and question byte for byte; then the records, section by section.
        int question = nameEnd + 4;
        if (na < question || nb < question || !_a.AsSpan(0, question).SequenceEqual(_b.AsSpan(0, question))) return false;
        var ma = DnsWireReader.ReadMessage(_a.AsSpan(0, na));
        var mb = DnsWireReader.ReadMessage(_b.AsSpan(0, nb));
        if (ma is null || mb is null) return false;
        static string Records(DnsMessage m) => string.Join("\n", m.Answer.Select(r => "an " + r).Concat(m.Authority.Select(r => "ns " + r)).Concat(m.Additional.Select(r => "ad " + r)));
        return Records(ma) == Records(mb);
    }
}
