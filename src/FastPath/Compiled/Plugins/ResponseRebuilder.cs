using System;
using System.Buffers.Binary;
using FastPath.Dns;
using FastPath.Dns.Wire;

namespace FastPath.Compiled.Plugins;

/// <summary>
/// Writes a response answered for one question (a rewritten name, an autopath try) as the response to another: the
/// question as the client asked it, every record's owner name and the names inside CNAME, NS, PTR, MX, SRV and SOA
/// data read out of the first response (its pointers point into a question that is not there any more) and written
/// out again, optionally with autopath's CNAME in front and the rewrite rules' owner mapping applied. This is the
/// road every response can take; <see cref="Write"/> takes the cheap one (pointers moved, names left compressed)
/// when it can.
/// </summary>
internal static partial class ResponseRebuilder
{
    /// <summary>
    /// <paramref name="inner"/> is the response to rewrite; the new question is <paramref name="query"/>[12, nameEnd + 4).
    /// With <paramref name="cnamer"/>, a CNAME from the question's name to the first answer owned by another name
    /// goes first (autopath's cnamer). With <paramref name="rules"/>, owner names are mapped as the fired rules say.
    /// Returns the length written; a response that does not fit is truncated to header and question with TC set.
    /// </summary>
    public static int Rebuild(ReadOnlySpan<byte> inner, ReadOnlySpan<byte> query, int nameEnd, Span<byte> response, bool cnamer,
        RewriteRules? rules, ReadOnlySpan<bool> applied, ReadOnlySpan<byte> rewritten)
    {
        var qname = query.Slice(12, nameEnd - 12);
        int questionEnd = nameEnd + 4;
        inner.Slice(0, 4).CopyTo(response);
        BinaryPrimitives.WriteUInt16BigEndian(response.Slice(4), 1);
        query.Slice(12, questionEnd - 12).CopyTo(response.Slice(12));
        int an = BinaryPrimitives.ReadUInt16BigEndian(inner.Slice(6)), ns = BinaryPrimitives.ReadUInt16BigEndian(inner.Slice(8)),
            ar = BinaryPrimitives.ReadUInt16BigEndian(inner.Slice(10));
        int p = 12;
        if (!WireNames.Skip(inner, ref p)) return Fail(response, questionEnd);
        p += 4;
        int w = questionEnd;
        Span<byte> name = stackalloc byte[WireNames.MaxLength];
        int cnames = 0;
        if (cnamer)
        {
            // The first answer owned by another name than the question's becomes the CNAME's target.
            int r = p;
            for (int i = 0; i < an; i++)
            {
                int n = WireNames.Read(inner, ref r, name);
                if (n < 0 || r + 10 > inner.Length) return Fail(response, questionEnd);
                if (!System.Text.Ascii.EqualsIgnoreCase(name.Slice(0, n), qname))
                {
                    if (w + 12 + n > response.Length) return DnsResponseHeader.Truncate(response, questionEnd);
                    BinaryPrimitives.WriteUInt16BigEndian(response.Slice(w), 0xC00C);
                    BinaryPrimitives.WriteUInt16BigEndian(response.Slice(w + 2), (ushort)DnsType.CNAME);
                    BinaryPrimitives.WriteUInt16BigEndian(response.Slice(w + 4), 1);
                    inner.Slice(r + 4, 4).CopyTo(response.Slice(w + 6)); // the answer's TTL
                    BinaryPrimitives.WriteUInt16BigEndian(response.Slice(w + 10), (ushort)n);
                    name.Slice(0, n).CopyTo(response.Slice(w + 12));
                    w += 12 + n;
                    cnames = 1;
                    break;
                }
                r += 10 + BinaryPrimitives.ReadUInt16BigEndian(inner.Slice(r + 8));
            }
        }
        for (int i = 0; i < an + ns + ar; i++)
        {
            int n = WireNames.Read(inner, ref p, name);
            if (n < 0 || p + 10 > inner.Length) return Fail(response, questionEnd);
            if (rules is not null) n = rules.MapOwner(name, n, applied, rewritten, qname);
            w = WriteName(response, w, name.Slice(0, n), qname);
            if (w < 0 || w + 10 > response.Length) return DnsResponseHeader.Truncate(response, questionEnd);
            var type = (DnsType)BinaryPrimitives.ReadUInt16BigEndian(inner.Slice(p));
            int rdLength = BinaryPrimitives.ReadUInt16BigEndian(inner.Slice(p + 8));
            inner.Slice(p, 8).CopyTo(response.Slice(w));
            int rdAt = w + 8;
            w += 10;
            p += 10;
            int end = p + rdLength;
            if (end > inner.Length) return Fail(response, questionEnd);
            w = Data(inner, p, end, type, response, w, name);
            if (w == Overflow) return DnsResponseHeader.Truncate(response, questionEnd);
            if (w < 0) return Fail(response, questionEnd);
            BinaryPrimitives.WriteUInt16BigEndian(response.Slice(rdAt), (ushort)(w - rdAt - 2));
            p = end;
        }
        DnsResponseHeader.SetCounts(response, an + cnames, ns, ar);
        return w;
    }

    private const int Overflow = -2;

    /// <summary>Record data, its names written out in full; -1 when malformed, <see cref="Overflow"/> when it does not fit.</summary>
    private static int Data(ReadOnlySpan<byte> inner, int p, int end, DnsType type, Span<byte> response, int w, Span<byte> name)
    {
        var (fixedBefore, names) = NamesIn(type, end - p);
        int fixedAfter = type == DnsType.SOA ? SoaFixedAfter : 0;
        if (p + fixedBefore > end) return -1;
        if (w + fixedBefore > response.Length) return Overflow;
        inner.Slice(p, fixedBefore).CopyTo(response.Slice(w));
        w += fixedBefore; p += fixedBefore;
        for (int k = 0; k < names; k++)
        {
            int n = WireNames.Read(inner, ref p, name);
            if (n < 0) return -1;
            if (w + n > response.Length) return Overflow;
            name.Slice(0, n).CopyTo(response.Slice(w));
            w += n;
        }
        if (p + fixedAfter != end) return -1;
        if (w + fixedAfter > response.Length) return Overflow;
        inner.Slice(p, fixedAfter).CopyTo(response.Slice(w));
        return w + fixedAfter;
    }

    /// <summary>An owner name: a pointer to the question when it is the question's name as asked, else written out.</summary>
    private static int WriteName(Span<byte> response, int w, ReadOnlySpan<byte> name, ReadOnlySpan<byte> qname)
    {
        if (name.SequenceEqual(qname))
        {
            if (w + 2 > response.Length) return -1;
            BinaryPrimitives.WriteUInt16BigEndian(response.Slice(w), 0xC00C);
            return w + 2;
        }
        if (w + name.Length > response.Length) return -1;
        name.CopyTo(response.Slice(w));
        return w + name.Length;
    }

    /// <summary>The first response was not one the engine writes: a FastPath bug, answered SERVFAIL rather than garbled.</summary>
    private static int Fail(Span<byte> response, int questionEnd)
    {
        response[3] = (byte)((response[3] & 0xF0) | (int)Rcode.ServFail);
        DnsResponseHeader.SetCounts(response, 0, 0, 0);
        return questionEnd;
    }
}
