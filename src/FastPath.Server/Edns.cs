using System;
using System.Buffers.Binary;

namespace FastPath.Server;

/// <summary>EDNS0 (RFC 6891): the client's UDP payload size from its OPT record, and our OPT in the response.</summary>
internal static class Edns
{
    public const ushort OurPayloadSize = 1232; // the DNS flag day 2020 size: no IP fragmentation

    /// <summary>The OPT record's advertised size, or 0 when the query has none (or it cannot be read).</summary>
    public static int ClientPayloadSize(ReadOnlySpan<byte> query, int questionEnd)
    {
        if (query.Length < 12 || BinaryPrimitives.ReadUInt16BigEndian(query.Slice(10)) == 0) return 0;
        int p = questionEnd;
        // Skip answer and authority records (normally none in a query), then look at the additional ones: an OPT
        // anywhere else is not EDNS0 (RFC 6891 §6.1.1; miekg/dns's IsEdns0 reads the additional section only).
        int skip = BinaryPrimitives.ReadUInt16BigEndian(query.Slice(6)) + BinaryPrimitives.ReadUInt16BigEndian(query.Slice(8));
        int records = skip + BinaryPrimitives.ReadUInt16BigEndian(query.Slice(10));
        for (int i = 0; i < records; i++)
        {
            if (!SkipName(query, ref p) || p + 10 > query.Length) return 0;
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(query.Slice(p));
            ushort cls = BinaryPrimitives.ReadUInt16BigEndian(query.Slice(p + 2));
            int rdlen = BinaryPrimitives.ReadUInt16BigEndian(query.Slice(p + 8));
            if (type == 41 && i >= skip) return Math.Max(512, (int)cls);
            p += 10 + rdlen;
        }
        return 0;
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

    /// <summary>Appends an OPT record (root owner, our payload size, no options) and counts it.</summary>
    public static int AppendOpt(Span<byte> response, int length)
    {
        if (length + 11 > response.Length) return length;
        var r = response.Slice(length);
        r[0] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(r.Slice(1), 41);
        BinaryPrimitives.WriteUInt16BigEndian(r.Slice(3), OurPayloadSize);
        BinaryPrimitives.WriteUInt32BigEndian(r.Slice(5), 0);
        BinaryPrimitives.WriteUInt16BigEndian(r.Slice(9), 0);
        BinaryPrimitives.WriteUInt16BigEndian(response.Slice(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(response.Slice(10)) + 1));
        return length + 11;
    }
}
