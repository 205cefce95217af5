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

        var map = new PointerMap(inner, response, innerName, innerNameEnd, qname, cnameTtlAt < 0 ? -1 : questionEnd + 12, innerRecords, delta);
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
                if (!map.Move(ref p)) return Cannot;
            }
            if (!MoveDataNames(inner, ref p, ref map)) return Cannot;
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
        var mover = new QuestionPointer(msg, target);
        int p = at;
        for (int i = 0; i < records; i++)
            if (!mover.Move(ref p) || !MoveDataNames(msg, ref p, ref mover)) return false;
        return p == msg.Length;
    }

    /// <summary>How one road moves the pointer of a name it walks past (false when it cannot).</summary>
    private interface INameMover
    {
        bool Move(ref int p);
    }

    /// <summary>
    /// Walks a record from its type on (<paramref name="p"/> just past its owner) to its end, handing each name in its
    /// data to <paramref name="mover"/>; false when it is not a record the engine writes.
    /// </summary>
    private static bool MoveDataNames<TMover>(ReadOnlySpan<byte> msg, ref int p, ref TMover mover) where TMover : INameMover, allows ref struct
    {
        if (p + 10 > msg.Length) return false;
        var type = (DnsType)BinaryPrimitives.ReadUInt16BigEndian(msg.Slice(p));
        int end = p + 10 + BinaryPrimitives.ReadUInt16BigEndian(msg.Slice(p + 8));
        if (end > msg.Length) return false;
        p += 10;
        var (fixedBefore, names) = NamesIn(type, end - p);
        p += fixedBefore;
        for (int k = 0; k < names; k++)
            if (p >= end || !mover.Move(ref p)) return false;
        if (type == DnsType.SOA) p += SoaFixedAfter;
        return p == end;
    }

    private const int Uncompressed = -1, Malformed = -2;

    /// <summary>
    /// Walks past the name at <paramref name="p"/> and returns where its pointer points (<paramref name="p"/> is then
    /// just past the pointer), <see cref="Uncompressed"/> when it ends in its own zero byte, or <see cref="Malformed"/>.
    /// </summary>
    private static int ToPointer(ReadOnlySpan<byte> msg, ref int p)
    {
        while (p < msg.Length)
        {
            int len = msg[p];
            if (len == 0) { p++; return Uncompressed; }
            if ((len & 0xC0) != 0xC0) { p += len + 1; continue; }
            if (p + 1 >= msg.Length) return Malformed;
            p += 2;
            return ((len & 0x3F) << 8) | msg[p - 1];
        }
        return Malformed;
    }

    /// <summary>Moves a name's pointer to the question (0xC00C) onto <paramref name="target"/>, in place.</summary>
    private readonly ref struct QuestionPointer(Span<byte> msg, int target) : INameMover
    {
        private readonly Span<byte> _msg = msg;

        // Inlined: autopath's direct road moves one pointer per record, and the call cost as much as the move.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public bool Move(ref int p)
        {
            int pointer = ToPointer(_msg, ref p);
            if (pointer == 12) BinaryPrimitives.WriteUInt16BigEndian(_msg.Slice(p - 2), (ushort)(0xC000 | target));
            return pointer != Malformed;
        }
    }

    /// <summary>An SOA's serial, refresh, retry, expire and minimum, after its two names.</summary>
    private const int SoaFixedAfter = 20;

    /// <summary>Where names sit in record data, for both roads: the bytes before the first name, and how many names (an SOA's are followed by <see cref="SoaFixedAfter"/> bytes).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
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
    private readonly ref struct PointerMap(ReadOnlySpan<byte> inner, Span<byte> response, ReadOnlySpan<byte> innerName, int innerNameEnd,
        ReadOnlySpan<byte> qname, int cnameTarget, int innerRecords, int delta) : INameMover
    {
        private readonly ReadOnlySpan<byte> _inner = inner, _innerName = innerName, _qname = qname;
        private readonly Span<byte> _response = response;

        /// <summary>Walks the name at <paramref name="p"/> (copied at p + delta), rewriting its pointer; false when it cannot.</summary>
        public bool Move(ref int p)
        {
            int target = ToPointer(_inner, ref p), moved;
            if (target == Uncompressed) return true;
            if (target >= innerRecords && target < p - 2) moved = target + delta;
            else if (target >= 12 && target < innerNameEnd) moved = cnameTarget >= 0 ? cnameTarget + target - 12 : InQuestion(target - 12);
            else return false;
            if (moved < 0) return false;
            BinaryPrimitives.WriteUInt16BigEndian(_response.Slice(p - 2 + delta), (ushort)(0xC000 | moved));
            return true;
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
