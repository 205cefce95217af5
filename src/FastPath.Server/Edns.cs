using System;
using System.Buffers.Binary;
using FastPath.Dns;
using FastPath.Dns.Wire;

namespace FastPath.Server;

/// <summary>EDNS0 (RFC 6891): the client's UDP payload size from its OPT record, and our OPT in the response.</summary>
internal static class Edns
{
    public const ushort OurPayloadSize = 1232; // the DNS flag day 2020 size: no IP fragmentation

    /// <summary>The OPT record's advertised size, or 0 when the query has none (or it cannot be read).</summary>
    public static int ClientPayloadSize(ReadOnlySpan<byte> query, int questionEnd) => ClientPayloadSize(query, questionEnd, out _);

    /// <summary>
    /// The advertised size (at least 512) and EDNS version of the query's OPT record: the last one in the additional
    /// section, as miekg/dns's IsEdns0 finds it (an OPT anywhere else is not EDNS0, RFC 6891 §6.1.1). 0 without one.
    /// </summary>
    public static int ClientPayloadSize(ReadOnlySpan<byte> query, int questionEnd, out int version)
    {
        version = 0;
        if (query.Length < 12 || BinaryPrimitives.ReadUInt16BigEndian(query.Slice(10)) == 0) return 0;
        int p = questionEnd, size = 0;
        int skip = BinaryPrimitives.ReadUInt16BigEndian(query.Slice(6)) + BinaryPrimitives.ReadUInt16BigEndian(query.Slice(8));
        int records = skip + BinaryPrimitives.ReadUInt16BigEndian(query.Slice(10));
        for (int i = 0; i < records && p < query.Length; i++)
        {
            if (i >= skip && DnsWireReader.OptAt(query, p) is int at)
            {
                size = Math.Max(512, (int)BinaryPrimitives.ReadUInt16BigEndian(query.Slice(at + 2)));
                version = query[at + 5];
            }
            if (!SkipName(query, ref p) || p + 10 > query.Length) break;
            p += 10 + BinaryPrimitives.ReadUInt16BigEndian(query.Slice(p + 8));
        }
        return size;
    }

    private static bool SkipName(ReadOnlySpan<byte> m, ref int p)
    {
        while (p < m.Length)
        {
            int len = m[p];
            if ((len & 0xC0) == 0xC0) { p += 2; return true; }
            if (len == 0) { p++; return true; }
            p += len + 1;
        }
        return false;
    }

    /// <summary>
    /// Whether a response to an EDNS0 query gets our OPT. Not FORMERR or NOTIMP: miekg/dns writes those itself before
    /// CoreDNS sees the query and drops every record, OPT included ("req.Ns, req.Answer, req.Extra = nil" in
    /// server.go serveDNS). Not BADVERS either (an answer with rcode 0 to a version above 0): the engine wrote its OPT.
    /// </summary>
    public static bool ResponseTakesOpt(ReadOnlySpan<byte> response, int version)
    {
        var rcode = (Rcode)(response[3] & 0xF);
        if (rcode is Rcode.FormErr or Rcode.NotImp) return false;
        return version == 0 || rcode != Rcode.NoError;
    }

    /// <summary>Appends an OPT record (root owner, our payload size, no options) and counts it.</summary>
    public static int AppendOpt(Span<byte> response, int length)
    {
        if (length + DnsResponseHeader.OptLength > response.Length) return length;
        var r = response.Slice(length);
        r[0] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(r.Slice(1), 41);
        BinaryPrimitives.WriteUInt16BigEndian(r.Slice(3), OurPayloadSize);
        BinaryPrimitives.WriteUInt32BigEndian(r.Slice(5), 0);
        BinaryPrimitives.WriteUInt16BigEndian(r.Slice(9), 0);
        BinaryPrimitives.WriteUInt16BigEndian(response.Slice(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(response.Slice(10)) + 1));
        return length + DnsResponseHeader.OptLength;
    }
}
