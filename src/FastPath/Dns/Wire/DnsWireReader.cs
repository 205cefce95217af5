using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Net;
using System.Text;

namespace FastPath.Dns.Wire;

/// <summary>Why a message could not be read; the server answers FORMERR (or drops it when even the header is short).</summary>
public enum WireError { None, ShortHeader, BadName, PointerLoop, Truncated, NoQuestion, TooManyQuestions, IsResponse, BadOpcode, TooManyRecords, BadRecord, NotInternetClass, BadEdnsVersion }

/// <summary>What a server does with a message before any plugin sees it.</summary>
public enum QueryVerdict
{
    /// <summary>A well-formed query: resolve it.</summary>
    Answer,
    /// <summary>Send nothing: a header too short to carry an ID, or a response (any reply could feed a loop or amplify).</summary>
    Drop,
    /// <summary>FORMERR with the header alone (no question).</summary>
    FormErr,
    /// <summary>NOTIMP with the header alone and the query's opcode.</summary>
    NotImp,
    /// <summary>SERVFAIL with the header alone: QDCOUNT says 1 but the message ends after the header (CoreDNS's ServeDNS).</summary>
    ServFail,
    /// <summary>REFUSED with the question: a class other than IN (CoreDNS's ServeDNS without the chaos plugin).</summary>
    Refused,
    /// <summary>
    /// BADVERS (RFC 6891 §6.1.3): the client's OPT asks for an EDNS version above 0. The question, header rcode 0 and
    /// an OPT of version 0 with extended rcode 1 (16 = 1 &lt;&lt; 4), as CoreDNS's plugin/pkg/edns Version answers.
    /// </summary>
    BadVers,
}

/// <summary>
/// Reads DNS wire format (RFC 1035): names with compression pointers (loops and forward jumps refused), the header,
/// and whole messages for tests and the CLI. Never throws on malformed input.
/// </summary>
public static class DnsWireReader
{
    public const int HeaderLength = 12;

    /// <summary>
    /// Finds the single question of a query: where its name ends (uncompressed, as queries are sent) and its type.
    /// The name's bytes are <c>query[12..nameEnd]</c>.
    /// </summary>
    public static WireError ReadQuestion(ReadOnlySpan<byte> query, out int nameEnd, out ushort qtype, out ushort qclass)
    {
        nameEnd = 0; qtype = 0; qclass = 0;
        if (query.Length < HeaderLength) return WireError.ShortHeader;
        ushort qd = BinaryPrimitives.ReadUInt16BigEndian(query.Slice(4));
        if (qd == 0) return WireError.NoQuestion;
        if (qd > 1) return WireError.TooManyQuestions;
        int p = HeaderLength, total = 0;
        while (true)
        {
            if (p >= query.Length) return WireError.Truncated;
            int len = query[p];
            if (len == 0) { p++; break; }
            if (len > 63) return WireError.BadName; // pointers and extended labels have no place in a question
            total += len + 1;
            if (total > 254) return WireError.BadName;
            p += len + 1;
        }
        if (p + 4 > query.Length) return WireError.Truncated;
        nameEnd = p;
        qtype = BinaryPrimitives.ReadUInt16BigEndian(query.Slice(p));
        qclass = BinaryPrimitives.ReadUInt16BigEndian(query.Slice(p + 2));
        return WireError.None;
    }

    /// <summary>
    /// The verdict on a query, in the order CoreDNS reaches it (miekg/dns server.go serveDNS, acceptfunc.go, msg.go
    /// unpack; core/dnsserver ServeDNS): a short header or QR set is dropped; an opcode other than QUERY is NOTIMP;
    /// QDCOUNT ≠ 1, ANCOUNT &gt; 1, NSCOUNT &gt; 1 or ARCOUNT &gt; 2 is FORMERR; QDCOUNT 1 with nothing after the header
    /// is SERVFAIL; then the question and every record
    /// present must read (names within 255 octets, labels within 63, pointers bounded, fixed fields and RDATA inside
    /// the message; A, AAAA, OPT and name RDATA exactly their length) or it is FORMERR. Records the counts promise
    /// but the message does not hold are absent, not an error, as in miekg/dns. Never throws; every loop is bounded
    /// by the message length. A well-formed question of a class other than IN is REFUSED; then an OPT (the last one in
    /// the additional section, as miekg/dns's IsEdns0 finds it) of a version other than 0 is BADVERS.
    /// <para>Departures, all stricter: a compression pointer in the question is FORMERR (no client sends one, and the
    /// answer bytes point into an uncompressed question); a forward or self pointer in a record is FORMERR, as Knot
    /// refuses it (miekg/dns follows up to 126 pointers); a question cut off after its name is FORMERR (CoreDNS reads
    /// class 0 and answers REFUSED); NOTIFY is NOTIMP (FastPath serves no secondaries).</para>
    /// </summary>
    public static QueryVerdict CheckQuery(ReadOnlySpan<byte> msg, out int nameEnd, out ushort qtype, out ushort qclass, out WireError error)
    {
        nameEnd = 0; qtype = 0; qclass = 0;
        if (msg.Length < HeaderLength) { error = WireError.ShortHeader; return QueryVerdict.Drop; }
        if ((msg[2] & 0x80) != 0) { error = WireError.IsResponse; return QueryVerdict.Drop; }
        if (((msg[2] >> 3) & 0xF) != 0) { error = WireError.BadOpcode; return QueryVerdict.NotImp; }
        int qd = BinaryPrimitives.ReadUInt16BigEndian(msg.Slice(4)), an = BinaryPrimitives.ReadUInt16BigEndian(msg.Slice(6));
        int ns = BinaryPrimitives.ReadUInt16BigEndian(msg.Slice(8)), ar = BinaryPrimitives.ReadUInt16BigEndian(msg.Slice(10));
        if (qd != 1) { error = qd == 0 ? WireError.NoQuestion : WireError.TooManyQuestions; return QueryVerdict.FormErr; }
        if (an > 1 || ns > 1 || ar > 2) { error = WireError.TooManyRecords; return QueryVerdict.FormErr; }
        if (msg.Length == HeaderLength) { error = WireError.NoQuestion; return QueryVerdict.ServFail; }
        error = ReadQuestion(msg, out nameEnd, out qtype, out qclass);
        if (error != WireError.None) return QueryVerdict.FormErr;
        int p = nameEnd + 4, version = 0;
        for (int i = 0; i < an + ns + ar && p < msg.Length; i++)
        {
            int start = p;
            error = SkipRecord(msg, ref p);
            if (error != WireError.None) { nameEnd = 0; qtype = 0; qclass = 0; return QueryVerdict.FormErr; }
            if (i >= an + ns && OptAt(msg, start) is int at) version = msg[at + 5]; // TTL: extended rcode, version, flags
        }
        if (qclass != (ushort)DnsClass.IN) { error = WireError.NotInternetClass; return QueryVerdict.Refused; }
        if (version != 0) { error = WireError.BadEdnsVersion; return QueryVerdict.BadVers; }
        return QueryVerdict.Answer;
    }

    /// <summary>
    /// Where the fixed fields (type, class, TTL, RDLENGTH) of the record at <paramref name="start"/> begin when it is
    /// an OPT record; null for any other record. The record has been checked whole.
    /// </summary>
    public static int? OptAt(ReadOnlySpan<byte> msg, int start)
    {
        int p = start;
        if (SkipName(msg, ref p) != WireError.None || p + 10 > msg.Length) return null;
        return BinaryPrimitives.ReadUInt16BigEndian(msg.Slice(p)) == (ushort)DnsType.OPT ? p : null;
    }

    /// <summary>Skips one resource record, checking what miekg/dns's unpack checks for the types a query carries.</summary>
    private static WireError SkipRecord(ReadOnlySpan<byte> msg, ref int p)
    {
        var err = SkipName(msg, ref p);
        if (err != WireError.None) return err;
        if (p + 10 > msg.Length) return WireError.Truncated;
        var type = (DnsType)BinaryPrimitives.ReadUInt16BigEndian(msg.Slice(p));
        int rdlen = BinaryPrimitives.ReadUInt16BigEndian(msg.Slice(p + 8));
        p += 10;
        if (p + rdlen > msg.Length) return WireError.Truncated;
        var rdata = msg.Slice(p, rdlen);
        p += rdlen;
        if (rdlen == 0) return WireError.None; // an empty RDATA is allowed for every type (dynamic update deletes)
        switch (type)
        {
            case DnsType.A: return rdlen == 4 ? WireError.None : WireError.BadRecord;
            case DnsType.AAAA: return rdlen == 16 ? WireError.None : WireError.BadRecord;
            case DnsType.OPT:
                // Options are code, length, data; they must fill the RDATA exactly.
                int o = 0;
                while (o < rdata.Length)
                {
                    if (o + 4 > rdata.Length) return WireError.BadRecord;
                    o += 4 + BinaryPrimitives.ReadUInt16BigEndian(rdata.Slice(o + 2));
                }
                return o == rdata.Length ? WireError.None : WireError.BadRecord;
            case DnsType.CNAME or DnsType.NS or DnsType.PTR:
                int q = p - rdlen;
                err = SkipName(msg.Slice(0, p), ref q); // the name may point back into the message, but must end in the RDATA
                return err != WireError.None ? err : q == p ? WireError.None : WireError.BadRecord;
            default: return WireError.None;
        }
    }

    /// <summary>Skips a possibly compressed name, with the limits of <see cref="ReadName"/>, without decoding it.</summary>
    private static WireError SkipName(ReadOnlySpan<byte> msg, ref int offset) => ReadName(msg, ref offset, null);

    /// <summary>
    /// Reads a possibly compressed name at <paramref name="offset"/> into dotted text (or only checks it, when
    /// <paramref name="into"/> is null); advances past it. Pointers must point backwards and at most 64 are followed;
    /// labels are at most 63 octets and the name at most 255 on the wire.
    /// </summary>
    public static WireError ReadName(ReadOnlySpan<byte> msg, ref int offset, StringBuilder? into)
    {
        int p = offset, jumps = 0, total = 0;
        bool jumped = false, empty = true;
        while (true)
        {
            if (p >= msg.Length) return WireError.Truncated;
            int len = msg[p];
            if ((len & 0xC0) == 0xC0)
            {
                if (p + 1 >= msg.Length) return WireError.Truncated;
                int target = ((len & 0x3F) << 8) | msg[p + 1];
                if (!jumped) offset = p + 2;
                jumped = true;
                // Pointers must point backwards; a bounded number of jumps stops loops.
                if (target >= p || ++jumps > 64) return WireError.PointerLoop;
                p = target;
                continue;
            }
            if (len > 63) return WireError.BadName;
            if (len == 0)
            {
                if (!jumped) offset = p + 1;
                if (empty) into?.Append('.');
                return WireError.None;
            }
            if (p + 1 + len > msg.Length) return WireError.Truncated;
            total += len + 1;
            if (total > 254) return WireError.BadName; // 255 octets on the wire with the root's zero
            empty = false;
            if (into is not null) AppendLabel(msg.Slice(p + 1, len), into);
            p += 1 + len;
        }
    }

    private static void AppendLabel(ReadOnlySpan<byte> label, StringBuilder into)
    {
        foreach (byte b in label)
        {
            if (b == '.' || b == '\\') into.Append('\\').Append((char)b);
            else if (b < 0x21 || b > 0x7E) into.Append('\\').Append((b / 100) % 10).Append((b / 10) % 10).Append(b % 10);
            else into.Append((char)b);
        }
        into.Append('.');
    }

    /// <summary>Decodes a whole message (for tests, the CLI and clients); null when it is malformed.</summary>
    public static DnsMessage? ReadMessage(ReadOnlySpan<byte> msg)
    {
        if (msg.Length < HeaderLength) return null;
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(msg.Slice(2));
        int qd = BinaryPrimitives.ReadUInt16BigEndian(msg.Slice(4));
        int an = BinaryPrimitives.ReadUInt16BigEndian(msg.Slice(6));
        int ns = BinaryPrimitives.ReadUInt16BigEndian(msg.Slice(8));
        int ar = BinaryPrimitives.ReadUInt16BigEndian(msg.Slice(10));
        int p = HeaderLength;
        var sb = new StringBuilder();
        DnsQuestion? question = null;
        for (int i = 0; i < qd; i++)
        {
            sb.Clear();
            if (ReadName(msg, ref p, sb) != WireError.None || p + 4 > msg.Length) return null;
            question ??= new DnsQuestion(sb.ToString(), (DnsType)BinaryPrimitives.ReadUInt16BigEndian(msg.Slice(p)), (DnsClass)BinaryPrimitives.ReadUInt16BigEndian(msg.Slice(p + 2)));
            p += 4;
        }
        var m = new DnsMessage
        {
            Id = BinaryPrimitives.ReadUInt16BigEndian(msg),
            IsResponse = (flags & 0x8000) != 0,
            Opcode = (DnsOpcode)((flags >> 11) & 0xF),
            Authoritative = (flags & 0x0400) != 0,
            Truncated = (flags & 0x0200) != 0,
            RecursionDesired = (flags & 0x0100) != 0,
            RecursionAvailable = (flags & 0x0080) != 0,
            Rcode = (Rcode)(flags & 0xF),
            Question = question ?? new DnsQuestion(".", 0),
        };
        foreach (var (count, list) in new[] { (an, m.Answer), (ns, m.Authority), (ar, m.Additional) })
            for (int i = 0; i < count; i++)
            {
                var rr = ReadRecord(msg, ref p, sb);
                if (rr is null) return null;
                if (rr.Type == DnsType.OPT) continue; // EDNS0 pseudo-record: not part of the answer
                list.Add(rr);
            }
        return m;
    }

    private static DnsRecord? ReadRecord(ReadOnlySpan<byte> msg, ref int p, StringBuilder sb)
    {
        sb.Clear();
        if (ReadName(msg, ref p, sb) != WireError.None || p + 10 > msg.Length) return null;
        string owner = sb.ToString();
        var type = (DnsType)BinaryPrimitives.ReadUInt16BigEndian(msg.Slice(p));
        var cls = (DnsClass)BinaryPrimitives.ReadUInt16BigEndian(msg.Slice(p + 2));
        uint ttl = BinaryPrimitives.ReadUInt32BigEndian(msg.Slice(p + 4));
        int rdlen = BinaryPrimitives.ReadUInt16BigEndian(msg.Slice(p + 8));
        p += 10;
        if (p + rdlen > msg.Length) return null;
        int rd = p;
        p += rdlen;
        RData? data;
        switch (type)
        {
            case DnsType.A when rdlen == 4: data = new AddressData(new IPAddress(msg.Slice(rd, 4))); break;
            case DnsType.AAAA when rdlen == 16: data = new AddressData(new IPAddress(msg.Slice(rd, 16))); break;
            case DnsType.CNAME or DnsType.PTR or DnsType.NS:
                sb.Clear();
                int q = rd;
                if (ReadName(msg, ref q, sb) != WireError.None) return null;
                data = new NameData(sb.ToString());
                break;
            case DnsType.SRV when rdlen >= 7:
                sb.Clear();
                int t = rd + 6;
                if (ReadName(msg, ref t, sb) != WireError.None) return null;
                data = new SrvData(BinaryPrimitives.ReadUInt16BigEndian(msg.Slice(rd)), BinaryPrimitives.ReadUInt16BigEndian(msg.Slice(rd + 2)),
                    BinaryPrimitives.ReadUInt16BigEndian(msg.Slice(rd + 4)), sb.ToString());
                break;
            case DnsType.SOA:
                int s = rd;
                sb.Clear(); if (ReadName(msg, ref s, sb) != WireError.None) return null;
                var mname = sb.ToString();
                sb.Clear(); if (ReadName(msg, ref s, sb) != WireError.None || s + 20 > rd + rdlen) return null;
                var r = msg.Slice(s);
                data = new SoaData(mname, sb.ToString(), BinaryPrimitives.ReadUInt32BigEndian(r), BinaryPrimitives.ReadUInt32BigEndian(r.Slice(4)),
                    BinaryPrimitives.ReadUInt32BigEndian(r.Slice(8)), BinaryPrimitives.ReadUInt32BigEndian(r.Slice(12)), BinaryPrimitives.ReadUInt32BigEndian(r.Slice(16)));
                break;
            case DnsType.TXT:
                var strings = new List<string>();
                for (int i = rd; i < rd + rdlen;)
                {
                    int l = msg[i];
                    if (i + 1 + l > rd + rdlen) return null;
                    strings.Add(Encoding.ASCII.GetString(msg.Slice(i + 1, l)));
                    i += 1 + l;
                }
                data = new TxtData(strings);
                break;
            case DnsType.OPT: data = new OpaqueData(msg.Slice(rd, rdlen).ToArray()); break;
            default: data = new OpaqueData(msg.Slice(rd, rdlen).ToArray()); break;
        }
        return new DnsRecord(owner, type, ttl, data, cls);
    }
}
