using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace FastPath.Dns.Wire;

/// <summary>
/// The rules every engine and the server apply to a raw query before answering it, and the header they answer with,
/// written once: which queries are dropped, which get FORMERR or NOTIMP, how a response header echoes the query,
/// and how a response too long for its buffer is truncated.
/// </summary>
public static class DnsResponseHeader
{
    /// <summary>A query too short to carry an ID, or itself a response (QR set), gets no answer at all.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsDropped(ReadOnlySpan<byte> query) => query.Length < DnsWireReader.HeaderLength || (query[2] & 0x80) != 0;

    /// <summary>
    /// Reads the single question of a query that is not dropped. Returns 0 when it is to be answered (the question is
    /// <c>[12, nameEnd + 4)</c>), or the length of the error response written instead: FORMERR (header only) for a
    /// malformed question, NOTIMP (with the question) for an opcode other than QUERY.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ReadOrReject(ReadOnlySpan<byte> query, Span<byte> response, out int nameEnd, out ushort qtype)
    {
        var err = DnsWireReader.ReadQuestion(query, out nameEnd, out qtype, out _);
        int opcode = (query[2] >> 3) & 0xF;
        if (err == WireError.None && opcode == 0) return 0;
        return err == WireError.None
            ? Write(query, response, Rcode.NotImp, authoritative: false, questionEnd: nameEnd + 4)
            : Write(query, response, Rcode.FormErr, authoritative: false, questionEnd: DnsWireReader.HeaderLength);
    }

    /// <summary>
    /// The response header: the query's ID, opcode and RD; QR set; AA as given; counts zero but for the question,
    /// which is copied as asked when <paramref name="questionEnd"/> is past the header. Returns <paramref name="questionEnd"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Write(ReadOnlySpan<byte> query, Span<byte> response, Rcode rcode, bool authoritative, int questionEnd)
    {
        response[0] = query[0]; response[1] = query[1];
        response[2] = (byte)(0x80 | (query[2] & 0x79) | (authoritative ? 0x04 : 0)); // QR, opcode, RD copied; AA
        response[3] = (byte)((int)rcode & 0xF);
        bool question = questionEnd > DnsWireReader.HeaderLength;
        BinaryPrimitives.WriteUInt16BigEndian(response.Slice(4), (ushort)(question ? 1 : 0));
        BinaryPrimitives.WriteUInt32BigEndian(response.Slice(6), 0);
        BinaryPrimitives.WriteUInt16BigEndian(response.Slice(10), 0);
        if (question) query.Slice(12, questionEnd - 12).CopyTo(response.Slice(12));
        return questionEnd;
    }

    /// <summary>Sets the answer, authority and additional counts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetCounts(Span<byte> response, int answer, int authority, int additional)
    {
        BinaryPrimitives.WriteUInt16BigEndian(response.Slice(6), (ushort)answer);
        BinaryPrimitives.WriteUInt16BigEndian(response.Slice(8), (ushort)authority);
        BinaryPrimitives.WriteUInt16BigEndian(response.Slice(10), (ushort)additional);
    }

    /// <summary>Cuts a response that does not fit down to its header and question, with TC set (RFC 1035 4.2.1).</summary>
    public static int Truncate(Span<byte> response, int questionEnd)
    {
        response[2] |= 0x02;
        SetCounts(response, 0, 0, 0);
        return questionEnd;
    }
}
