using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace FastPath.Dns.Wire;

/// <summary>
/// The rules every engine and the server apply to a raw query before answering it, and the header they answer with,
/// written once: the response each <see cref="DnsWireReader.CheckQuery"/> refusal gets, how a response header echoes the query,
/// and how a response too long for its buffer is truncated.
/// </summary>
public static class DnsResponseHeader
{
    /// <summary>
    /// The response to a query that <see cref="DnsWireReader.CheckQuery"/> did not accept (its verdict neither Answer
    /// nor Drop): the header with FORMERR, NOTIMP or SERVFAIL alone, REFUSED with the question as asked, or BADVERS.
    /// Returns its length.
    /// </summary>
    public static int Reject(ReadOnlySpan<byte> query, Span<byte> response, QueryVerdict verdict, int nameEnd) => verdict switch
    {
        QueryVerdict.Refused => Write(query, response, Rcode.Refused, authoritative: false, questionEnd: nameEnd + 4),
        QueryVerdict.NotImp => Write(query, response, Rcode.NotImp, authoritative: false, questionEnd: DnsWireReader.HeaderLength),
        QueryVerdict.ServFail => Write(query, response, Rcode.ServFail, authoritative: false, questionEnd: DnsWireReader.HeaderLength),
        QueryVerdict.FormErr => Write(query, response, Rcode.FormErr, authoritative: false, questionEnd: DnsWireReader.HeaderLength),
        QueryVerdict.BadVers => BadVers(query, response, nameEnd),
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "only a refused query has a rejection to write"),
    };

    /// <summary>
    /// BADVERS as CoreDNS writes it (plugin/pkg/edns Version, packed by miekg/dns): the question, header rcode 0, and
    /// one OPT record of version 0 whose extended rcode is 1 (BADVERS is 16: its upper 8 bits go in the OPT), UDP size
    /// 0 and no flags or options, since CoreDNS builds a fresh OPT rather than echoing the client's.
    /// </summary>
    private static int BadVers(ReadOnlySpan<byte> query, Span<byte> response, int nameEnd)
    {
        int p = Write(query, response, Rcode.NoError, authoritative: false, questionEnd: nameEnd + 4);
        var opt = response.Slice(p, OptLength);
        opt[0] = 0; // the root owner
        BinaryPrimitives.WriteUInt16BigEndian(opt.Slice(1), 41);
        BinaryPrimitives.WriteUInt16BigEndian(opt.Slice(3), 0);
        BinaryPrimitives.WriteUInt32BigEndian(opt.Slice(5), BadVersExtendedRcode << 24);
        BinaryPrimitives.WriteUInt16BigEndian(opt.Slice(9), 0);
        SetCounts(response, 0, 0, 1);
        return p + OptLength;
    }

    /// <summary>An OPT record without options: root owner, type, class (UDP size), TTL, RDLENGTH.</summary>
    public const int OptLength = 11;

    /// <summary>BADVERS (16) shifted down by the header's 4 rcode bits: what the OPT's extended-rcode octet holds.</summary>
    private const uint BadVersExtendedRcode = 16 >> 4;

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
