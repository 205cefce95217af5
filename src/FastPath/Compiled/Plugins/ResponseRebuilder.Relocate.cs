using System;
using System.Buffers.Binary;
using FastPath.Dns;
using FastPath.Dns.Wire;

namespace FastPath.Compiled.Plugins;

internal static partial class ResponseRebuilder
{
    /// <summary>
    /// <see cref="Rebuild"/>'s result, by the cheap road where it can be taken: the first response's records are copied
    /// as they are and only their compression pointers are moved, so names stay compressed and nothing is read out in
    /// full. <paramref name="ownersToQuestion"/> says that an owner equal to the first response's question name stands
    /// for the question as asked (an exact rewrite fired and no <c>answer name</c> clause did).
    /// </summary>
    public static int Write(ReadOnlySpan<byte> inner, ReadOnlySpan<byte> query, int nameEnd, Span<byte> response, bool cnamer,
        RewriteRules? rules, ReadOnlySpan<bool> applied, ReadOnlySpan<byte> rewritten, bool ownersToQuestion)
    {
        int n = Relocate(inner, query, nameEnd, response, cnamer, ownersToQuestion, rewritten.Length);
        return n >= 0 ? n : Rebuild(inner, query, nameEnd, response, cnamer, rules, applied, rewritten);
    }

    /// <summary>
    /// The relocation: -1 when a name would have to change length (a pointer into the first question that the question
    /// as asked cannot stand in for, an owner the rules would map), the response is not one the engine writes, or it
    /// does not fit; the caller then rebuilds, which handles all of those.
    /// </summary>
    private static int Relocate(ReadOnlySpan<byte> inner, ReadOnlySpan<byte> query, int nameEnd, Span<byte> response, bool cnamer,
        bool ownersToQuestion, int rewrittenLength)
    {
        const int Cannot = -1;
        int innerNameEnd = 12;
        if (!WireNames.Skip(inner, ref innerNameEnd) || innerNameEnd + 4 > inner.Length) return Cannot;
        int innerRecords = innerNameEnd + 4, questionEnd = nameEnd + 4;
        var innerName = inner.Slice(12, innerNameEnd - 12);
        var qname = query.Slice(12, nameEnd - 12);
        int an = BinaryPrimitives.ReadUInt16BigEndian(inner.Slice(6)), ns = BinaryPrimitives.ReadUInt16BigEndian(inner.Slice(8)),
            ar = BinaryPrimitives.ReadUInt16BigEndian(inner.Slice(10));

        // autopath's CNAME: to the first answer owned by another name than the question's. Only an owner that is the first
        // question itself is taken here; its name, written out in the CNAME, then stands in for the first question.
        int cnameTtlAt = -1;
        if (cnamer)
        {
            int r = innerRecords;
            for (int i = 0; i < an; i++)
            {
                if (r + 12 > inner.Length || BinaryPrimitives.ReadUInt16BigEndian(inner.Slice(r)) != 0xC00C) return Cannot;
                if (!System.Text.Ascii.EqualsIgnoreCase(innerName, qname))
                {
                    cnameTtlAt = r + 6;
                    break;
                }
                r += 12 + BinaryPrimitives.ReadUInt16BigEndian(inner.Slice(r + 10));
            }
        }
        int cnameSize = cnameTtlAt < 0 ? 0 : 12 + innerName.Length;
        int records = questionEnd + cnameSize, delta = records - innerRecords;
        if (records + inner.Length - innerRecords > response.Length || records + inner.Length - innerRecords > 0x3FFF) return Cannot;

        inner.Slice(0, 4).CopyTo(response);
        query.Slice(12, questionEnd - 12).CopyTo(response.Slice(12));
        if (cnameTtlAt >= 0)
        {
            int w = questionEnd;
            BinaryPrimitives.WriteUInt16BigEndian(response.Slice(w), 0xC00C);
            BinaryPrimitives.WriteUInt16BigEndian(response.Slice(w + 2), (ushort)DnsType.CNAME);
            BinaryPrimitives.WriteUInt16BigEndian(response.Slice(w + 4), 1);
            inner.Slice(cnameTtlAt, 4).CopyTo(response.Slice(w + 6));
            BinaryPrimitives.WriteUInt16BigEndian(response.Slice(w + 10), (ushort)innerName.Length);
            innerName.CopyTo(response.Slice(w + 12));
        }
        inner.Slice(innerRecords).CopyTo(response.Slice(records));

        var map = new PointerMap(innerName, innerNameEnd, qname, cnameTtlAt < 0 ? -1 : questionEnd + 12, innerRecords, delta);
        int p = innerRecords;
        for (int i = 0; i < an + ns + ar; i++)
        {
            if (ownersToQuestion && BinaryPrimitives.ReadUInt16BigEndian(inner.Slice(p)) == 0xC00C)
            {
                // An owner that is the rewritten name goes back to the name asked: the question, at the same offset.
                p += 2;
            }
            else
            {
                if (ownersToQuestion && FullLength(inner, p, innerNameEnd) is var full && (full < 0 || full == rewrittenLength)) return Cannot;
                if (!map.Move(inner, ref p, response)) return Cannot;
            }
            if (p + 10 > inner.Length) return Cannot;
            var type = (DnsType)BinaryPrimitives.ReadUInt16BigEndian(inner.Slice(p));
            int end = p + 10 + BinaryPrimitives.ReadUInt16BigEndian(inner.Slice(p + 8));
            if (end > inner.Length) return Cannot;
            p += 10;
            var (fixedBefore, names) = NamesIn(type, end - p);
            p += fixedBefore;
            for (int k = 0; k < names; k++)
                if (p >= end || !map.Move(inner, ref p, response)) return Cannot;
            if (type == DnsType.SOA) p += SoaFixedAfter;
            if (p != end) return Cannot;
        }
        if (p != inner.Length) return Cannot;
        BinaryPrimitives.WriteUInt16BigEndian(response.Slice(4), 1);
        DnsResponseHeader.SetCounts(response, an + (cnameTtlAt < 0 ? 0 : 1), ns, ar);
        return records + inner.Length - innerRecords;
    }

    /// <summary>
    /// Whether every answer of a response is owned by its question's name (the pointer to it): autopath's cnamer then
    /// adds nothing, and a try that was the question itself is the response as it stands.
    /// </summary>
    public static bool OwnersAreQuestion(ReadOnlySpan<byte> response, int nameEnd)
    {
        int an = BinaryPrimitives.ReadUInt16BigEndian(response.Slice(6)), p = nameEnd + 4;
        for (int i = 0; i < an; i++)
        {
            if (p + 12 > response.Length || BinaryPrimitives.ReadUInt16BigEndian(response.Slice(p)) != 0xC00C) return false;
            p += 12 + BinaryPrimitives.ReadUInt16BigEndian(response.Slice(p + 10));
        }
        return true;
    }

    /// <summary>
    /// Points every name among the <paramref name="records"/> records at <paramref name="at"/> that is the question
    /// (the pointer 0xC00C, as the tables write it) at <paramref name="target"/> instead: the records were answered for
    /// a name that now stands there (autopath's CNAME target). False when they are not records the engine writes.
    /// </summary>
    public static bool PointQuestionAt(Span<byte> msg, int at, int records, int target)
    {
        int p = at;
        for (int i = 0; i < records; i++)
        {
            if (!PointQuestionAt(msg, ref p, target) || p + 10 > msg.Length) return false;
            var type = (DnsType)BinaryPrimitives.ReadUInt16BigEndian(msg.Slice(p));
            int end = p + 10 + BinaryPrimitives.ReadUInt16BigEndian(msg.Slice(p + 8));
            if (end > msg.Length) return false;
            p += 10;
            var (fixedBefore, names) = NamesIn(type, end - p);
            p += fixedBefore;
            for (int k = 0; k < names; k++)
                if (p >= end || !PointQuestionAt(msg, ref p, target)) return false;
            if (type == DnsType.SOA) p += SoaFixedAfter;
            if (p != end) return false;
        }
        return p == msg.Length;
    }

    /// <summary>Walks one name, moving its pointer to <paramref name="target"/> when it is the question's.</summary>
    private static bool PointQuestionAt(Span<byte> msg, ref int p, int target)
    {
        while (p < msg.Length)
        {
            int len = msg[p];
            if (len == 0) { p++; return true; }
            if ((len & 0xC0) != 0xC0) { p += len + 1; continue; }
            if (p + 1 >= msg.Length) return false;
            if (len == 0xC0 && msg[p + 1] == 12) BinaryPrimitives.WriteUInt16BigEndian(msg.Slice(p), (ushort)(0xC000 | target));
            p += 2;
            return true;
        }
        return false;
    }

    /// <summary>An SOA's serial, refresh, retry, expire and minimum, after its two names.</summary>
    private const int SoaFixedAfter = 20;

    /// <summary>Where names sit in record data, for both roads: the bytes before the first name, and how many names (an SOA's are followed by <see cref="SoaFixedAfter"/> bytes).</summary>
    private static (int FixedBefore, int Names) NamesIn(DnsType type, int rdLength) => type switch
    {
        DnsType.CNAME or DnsType.NS or DnsType.PTR => (0, 1),
        DnsType.MX => (2, 1),
        DnsType.SRV => (6, 1),
        DnsType.SOA => (0, 2),
        _ => (rdLength, 0),
    };

    /// <summary>The uncompressed length of an owner name whose pointer, if any, is into the question; -1 otherwise.</summary>
    private static int FullLength(ReadOnlySpan<byte> msg, int p, int questionNameEnd)
    {
        int length = 0;
        while (p < msg.Length)
        {
            int len = msg[p];
            if (len == 0) return length + 1;
            if ((len & 0xC0) == 0xC0)
            {
                if (p + 1 >= msg.Length) return -1;
                int target = ((len & 0x3F) << 8) | msg[p + 1];
                return target >= 12 && target < questionNameEnd ? length + questionNameEnd - target : -1;
            }
            length += len + 1;
            p += len + 1;
        }
        return -1;
    }

    /// <summary>
    /// Moves the compression pointers of names copied from the first response: one into its question lands on the same
    /// name written in the CNAME, or on the question as asked when it ends with that very suffix; one into its records
    /// moves with them.
    /// </summary>
    private readonly ref struct PointerMap(ReadOnlySpan<byte> innerName, int innerNameEnd, ReadOnlySpan<byte> qname,
        int cnameTarget, int innerRecords, int delta)
    {
        private readonly ReadOnlySpan<byte> _innerName = innerName, _qname = qname;

        /// <summary>Walks the name at <paramref name="p"/> (copied at p + delta), rewriting its pointer; false when it cannot.</summary>
        public bool Move(ReadOnlySpan<byte> inner, ref int p, Span<byte> response)
        {
            while (p < inner.Length)
            {
                int len = inner[p];
                if (len == 0) { p++; return true; }
                if ((len & 0xC0) != 0xC0) { p += len + 1; continue; }
                if (p + 1 >= inner.Length) return false;
                int target = ((len & 0x3F) << 8) | inner[p + 1], moved;
                if (target >= innerRecords && target < p) moved = target + delta;
                else if (target >= 12 && target < innerNameEnd) moved = cnameTarget >= 0 ? cnameTarget + target - 12 : InQuestion(target - 12);
                else return false;
                if (moved < 0) return false;
                BinaryPrimitives.WriteUInt16BigEndian(response.Slice(p + delta), (ushort)(0xC000 | moved));
                p += 2;
                return true;
            }
            return false;
        }

        /// <summary>Where the first question's name from <paramref name="from"/> on stands, byte for byte, in the question as asked; -1 when it does not.</summary>
        private int InQuestion(int from)
        {
            var suffix = _innerName.Slice(from);
            int at = _qname.Length - suffix.Length;
            if (at < 0 || !_qname.Slice(at).SequenceEqual(suffix)) return -1;
            int p = 0;
            while (p < at) p += _qname[p] + 1;
            return p == at ? 12 + at : -1;
        }
    }
}
