using System;
using System.Buffers.Binary;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Model.Corefile.Plugins;
using FastPath.Model.Planning;
using FastPath.Model.Tables;
using FastPath.Reference.Dns;

namespace FastPath.Compiled;

/// <summary>
/// Answers DNS queries from tables planned at build time: the question's name is found by a perfect hash and one
/// compare, and the answer is copied as wire bytes whose names point into the question. Names absent from the
/// tables are answered by rule (NXDOMAIN with the zone's SOA; NODATA for SOA; pods). Nothing on
/// <see cref="Respond"/> allocates for names in the cluster's zones (IPv6 pod names excepted).
/// </summary>
public sealed partial class CompiledDns
{
    private readonly CompiledDnsData _d;
    // Read by every lookup: held here, one load from the engine instead of two through _d.
    private readonly byte[] _keys, _dottedKeys, _sets;
    // The index tables in the shape they were handed over, exactly one of the two set: flat as generated code embeds
    // them, or in a live snapshot's chunks. A lookup branches once on which, then runs code compiled for that shape.
    private readonly IndexTables<FlatTable>? _flat;
    private readonly IndexTables<ChunkedTable>? _chunked;
    private long _rotation = -1;
    /// <summary>The zones as an array: the plugins' search-path probes index them several times a query, without an interface call each.</summary>
    private readonly CompiledZone[] _zones;
    /// <summary>The longest zone's wire length: a name's suffix at least this long settles which zones the name is in.</summary>
    private readonly int _longestZone;
    /// <summary>The routes and the fallthrough zones as arrays, for the same reason as <see cref="_zones"/> (the probes read both).</summary>
    private readonly CompiledRoute[] _routes;
    private readonly byte[][] _fallthrough;

    public CompiledDns(CompiledDnsData data)
    {
        _d = data;
        (_keys, _dottedKeys, _sets) = (data.Keys, data.DottedKeys, data.Sets);
        if (data.Index is { } ix)
            _chunked = new(ix.Count, new(ix.Entries), new(ix.Displacements), ix.BucketCount, new(ix.Slots), ix.SlotCount,
                new(ix.DottedDisplacements), ix.DottedBucketCount, new(ix.DottedSlots), ix.DottedSlotCount, new(ix.Filter ?? []), ix.FilterWords);
        else _flat = Flat(data);
        _zones = [.. data.Zones];
        _routes = [.. data.Routes];
        _fallthrough = [.. data.Fallthrough];
        foreach (var z in _zones) _longestZone = Math.Max(_longestZone, z.Wire.Length);
    }

    public int NameCount => _flat?.Count ?? _chunked!.Count;

    /// <summary>
    /// Generated code's flat tables, read in place. A lookup reads them without bounds checks, so their lengths are
    /// checked here once: a perfect hash's tables hold a power of two of units (its masks keep every index inside), and
    /// a lookup takes an entry only below the row count.
    /// </summary>
    private static IndexTables<FlatTable> Flat(CompiledDnsData d)
    {
        static int Units(byte[] table, int width, bool pow2, string name) =>
            table.Length % width == 0 && (!pow2 || table.Length == 0 || System.Numerics.BitOperations.IsPow2(table.Length / width))
                ? table.Length / width : throw new ArgumentException($"the {name} table's length ({table.Length} bytes) is not a {(pow2 ? "power of two of " : "")}{width}-byte units", nameof(d));
        int slots = Units(d.Slots, SlotUnit.Size, true, "slot"), dottedSlots = Units(d.DottedSlots, SlotUnit.Size, true, "dotted slot");
        int buckets = Units(d.Displacements, NameHash.DisplacementSize, true, "displacement");
        int dottedBuckets = Units(d.DottedDisplacements, NameHash.DisplacementSize, true, "dotted displacement");
        if ((slots > 0 && buckets == 0) || (dottedSlots > 0 && dottedBuckets == 0) || (slots == 0) != (dottedSlots == 0))
            throw new ArgumentException("a perfect hash's slots come without its displacements", nameof(d));
        // Generated code carries no NameFilter: one is made from its keys here, once, when autopath will read it.
        byte[] filter = d.Plugins?.HasAutopath == true ? NameFilter.Build(d.Keys, d.Entries) : [];
        return new(Units(d.Entries, CompiledLayout.EntrySize, false, "entry"), new(d.Entries), new(d.Displacements), buckets, new(d.Slots), slots,
            new(d.DottedDisplacements), dottedBuckets, new(d.DottedSlots), dottedSlots, new(filter), filter.Length / NameFilter.WordSize);
    }

    // ---- lookup -------------------------------------------------------------------------------------------------

    /// <summary>The slot (<see cref="SlotUnit"/>) a perfect hash has for the name: its entry and key, to be confirmed by a compare.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Probe<T>(ReadOnlySpan<byte> name, T displacements, T slots, int bucketMask, int slotMask) where T : struct, IIndexTable
    {
        if (slots.IsEmpty) return 0;
        ulong h = NameHash.Hash(name);
        // Both indexes are masked to the table's power-of-two unit count: in range by construction.
        ulong disp = Unit64(ref displacements.At(NameHash.Bucket(h, bucketMask), NameHash.DisplacementSize));
        return Unit64(ref slots.At(NameHash.SlotOf(h, disp, slotMask), SlotUnit.Size));
    }

    /// <summary>An 8-byte little-endian unit (a <see cref="SlotUnit"/>, a stored displacement).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Unit64(ref byte at)
    {
        ulong v = Unsafe.ReadUnaligned<ulong>(ref at);
        return BitConverter.IsLittleEndian ? v : BinaryPrimitives.ReverseEndianness(v);
    }

    /// <summary>An entry's row (<see cref="EntryField"/>); <paramref name="e"/> is below the row count (a lookup checked it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<byte> Row<T>(T entries, int e) where T : struct, IIndexTable =>
        MemoryMarshal.CreateReadOnlySpan(ref entries.At(e, CompiledLayout.EntrySize), CompiledLayout.EntrySize);

    private ReadOnlySpan<byte> Entry(int e) => _flat is { } f ? Row(f.Entries, e) : Row(_chunked!.Entries, e);

    /// <summary>The entry for a wire-format name (any case), or -1.</summary>
    public int FindEntry(ReadOnlySpan<byte> wireName) => _flat is { } f ? FindEntry(f, wireName) : FindEntry(_chunked!, wireName);

    private int FindEntry<T>(IndexTables<T> t, ReadOnlySpan<byte> wireName) where T : struct, IIndexTable
    {
        ulong slot = Probe(wireName, t.Displacements, t.Slots, t.BucketMask, t.SlotMask);
        int e = SlotUnit.Entry(slot);
        // An empty slot has length 0, and a wire name is at least one byte: it fails the length test. The entry is
        // checked against the row count so that the rows can be read unchecked.
        return (uint)e < (uint)t.Count && SlotUnit.KeyLength(slot) == wireName.Length
            && NameCompare.EqualsIgnoreCase(wireName, _keys.AsSpan(SlotUnit.KeyOffset(slot), wireName.Length)) ? e : -1;
    }

    /// <summary>
    /// False when no entry holds the wire name (the index's <see cref="NameFilter"/> says so without its hash or the
    /// perfect hash's reads); true when one may (then <see cref="FindEntry(ReadOnlySpan{byte})"/> tells).
    /// </summary>
    internal bool MayHold(ReadOnlySpan<byte> wireName) => _flat is { } f ? MayHold(f, wireName) : MayHold(_chunked!, wireName);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool MayHold<T>(IndexTables<T> t, ReadOnlySpan<byte> wireName) where T : struct, IIndexTable
    {
        if (wireName.Length < NameFilter.MinLength || t.Filter.IsEmpty) return true;
        ulong h = NameFilter.Hash(wireName), bits = NameFilter.Bits(h);
        // The index is masked to the filter's power-of-two word count: in range by construction.
        return (Unit64(ref t.Filter.At(NameFilter.WordOf(h, t.FilterMask), NameFilter.WordSize)) & bits) == bits;
    }

    /// <summary>
    /// Looks a dotted name (UTF-8, any case, trailing dot optional) up without converting it: the dotted names have
    /// their own perfect hash. Returns the answer index for the type, or -1 when no entry holds the name.
    /// </summary>
    public int LookupAnswer(ReadOnlySpan<byte> dottedUtf8, DnsType type)
    {
        if (dottedUtf8.Length > 0 && dottedUtf8[dottedUtf8.Length - 1] == '.') dottedUtf8 = dottedUtf8.Slice(0, dottedUtf8.Length - 1);
        return _flat is { } f ? LookupAnswer(f, dottedUtf8, type) : LookupAnswer(_chunked!, dottedUtf8, type);
    }

    // Not inlined into the dispatch above: two shapes' copies inlined into a caller exhaust the JIT's inlining budget,
    // which then leaves the hash and the reads below as calls.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int LookupAnswer<T>(IndexTables<T> t, ReadOnlySpan<byte> dottedUtf8, DnsType type) where T : struct, IIndexTable
    {
        ulong slot = Probe(dottedUtf8, t.DottedDisplacements, t.DottedSlots, t.DottedBucketMask, t.DottedSlotMask);
        int e = SlotUnit.Entry(slot);
        if ((uint)e >= (uint)t.Count) return -1; // an empty slot (-1), or an entry the rows do not hold
        // The row is read while the name is compared: the key's place came with the slot.
        var entry = Row(t.Entries, e);
        int len = SlotUnit.KeyLength(slot) - 2; // the wire key's length, less its first length byte and final zero
        if (dottedUtf8.Length != Math.Max(len, 0) || !NameCompare.EqualsIgnoreCase(dottedUtf8, _dottedKeys.AsSpan(SlotUnit.KeyOffset(slot), dottedUtf8.Length))) return -1;
        return AnswerOf(entry, ClassOf(type));
    }

    public int LookupAnswer(ReadOnlySpan<char> dotted, DnsType type)
    {
        if (dotted.Length > 255) return -1;
        Span<byte> utf8 = stackalloc byte[dotted.Length];
        if (System.Text.Ascii.FromUtf16(dotted, utf8, out int n) != System.Buffers.OperationStatus.Done) return -1;
        return LookupAnswer(utf8.Slice(0, n), type);
    }

    /// <summary>The rcode of an answer found by <see cref="LookupAnswer(ReadOnlySpan{byte}, DnsType)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Rcode RcodeOf(int answer) => (Rcode)_d.Answers[answer * CompiledLayout.AnswerSize + AnswerField.Rcode];

    /// <summary>The answer section's wire bytes (names point into the question, see <see cref="CompiledLayout"/>).</summary>
    public ReadOnlySpan<byte> AnswerBytes(int answer)
    {
        var a = _d.Answers.AsSpan(answer * CompiledLayout.AnswerSize);
        return _d.AnswerData.AsSpan(BinaryPrimitives.ReadInt32LittleEndian(a.Slice(AnswerField.DataOffset)),
            BinaryPrimitives.ReadUInt16LittleEndian(a.Slice(AnswerField.DataLength)));
    }

    /// <summary>The answer for a query-type group of an entry's row (read once by the caller: a chunked table costs a load per row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int AnswerOf(ReadOnlySpan<byte> entry, QueryTypeGroup qc)
    {
        int set = BinaryPrimitives.ReadInt32LittleEndian(entry.Slice(EntryField.AnswerSet));
        return BinaryPrimitives.ReadInt32LittleEndian(_sets.AsSpan((set * QueryTypeGroups.Count + (int)qc) * 4));
    }

    /// <summary>The query-type group of a type: one load from a table instead of a switch's compares and jump table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static QueryTypeGroup ClassOf(DnsType t) => (uint)t < (uint)Groups.Length ? (QueryTypeGroup)Groups[(int)t] : QueryTypeGroup.Other;

    // QueryTypeGroup by type number below 34 (SRV, 33, is the highest grouped type): A 1, NS 2, CNAME 5, SOA 6, PTR 12,
    // MX 15, TXT 16, AAAA 28, SRV 33; 9 (Other) elsewhere.
    private static ReadOnlySpan<byte> Groups =>
    [
        9, 0, 8, 9, 9, 2, 7, 9, 9, 9, 9, 9, 4, 9, 9, 5, 3, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 1, 9, 9, 9, 9, 6,
    ];

    // ---- responding -----------------------------------------------------------------------------------------------

    /// <summary>
    /// Writes the response to a wire-format query. Returns its length, or -1 when the query is to be dropped (too short
    /// to carry an ID, or itself a response); malformed ones get what <see cref="DnsWireReader.CheckQuery"/> says.
    /// <paramref name="outcome"/> is Forward when the forward plugin takes the name: the caller forwards to <see cref="UpstreamsOf"/>(<paramref name="route"/>); the bytes written are then SERVFAIL.
    /// A response that does not fit in <paramref name="response"/> is written as header and question with TC set.
    /// </summary>
    public int Respond(ReadOnlySpan<byte> query, Span<byte> response, out DnsOutcome outcome, out int route) =>
        Respond(query, response, default, out outcome, out route);

    /// <summary>
    /// <see cref="Respond(ReadOnlySpan{byte}, Span{byte}, out DnsOutcome, out int)"/> for a client whose address
    /// (<paramref name="client"/>: 4 or 16 bytes, empty when unknown) autopath needs to find its pod's namespace.
    /// </summary>
    public int Respond(ReadOnlySpan<byte> query, Span<byte> response, ReadOnlySpan<byte> client, out DnsOutcome outcome, out int route)
    {
        outcome = DnsOutcome.Answered;
        route = -1;
        var verdict = DnsWireReader.CheckQuery(query, out int nameEnd, out ushort qtype, out _, out _);
        if (verdict == QueryVerdict.Drop) return -1;
        if (response.Length < 300) throw new ArgumentException("the response buffer must hold at least 300 bytes (a header and the longest question)", nameof(response));
        if (verdict != QueryVerdict.Answer) return DnsResponseHeader.Reject(query, response, verdict, nameEnd);
        var qname = query.Slice(12, nameEnd - 12);
        route = LongestRoute(qname);
        if (route < 0) return Header(query, response, Rcode.Refused, false, nameEnd + 4);
        int written = _d.Plugins?.ChainOf(route) is { } chain
            ? ThroughPlugins(query, response, nameEnd, (DnsType)qtype, route, chain, client, out outcome)
            : AfterPlugins(query, response, nameEnd, route, (DnsType)qtype, out outcome);
        if (_d.Routes[route].LoadBalance && outcome == DnsOutcome.Answered) Interlocked.Increment(ref _rotation);
        return written;
    }

    /// <summary>The kubernetes tables, then forward or SERVFAIL, for the block serving <paramref name="route"/>.</summary>
    private int AfterPlugins(ReadOnlySpan<byte> query, Span<byte> response, int nameEnd, int route, DnsType qtype, out DnsOutcome outcome)
    {
        outcome = DnsOutcome.Answered;
        var qname = query.Slice(12, nameEnd - 12);
        var r = _d.Routes[route];
        int written = Unanswered.NotKubernetes;
        if (r.Kubernetes)
        {
            int zone = LongestZone(qname);
            if (zone >= 0) written = Kubernetes(query, response, nameEnd, qname, zone, qtype);
        }
        if (written is Unanswered.NotKubernetes or Unanswered.FallsThrough)
        {
            // Not a kubernetes name, or an NXDOMAIN that falls through: the next plugin is forward, or nothing (SERVFAIL).
            bool forward = r.Kind == RouteKind.Forward && IsSubdomain(qname, r.ForwardFrom) && !InAny(qname, r.Except);
            if (forward) outcome = DnsOutcome.Forward;
            written = Header(query, response, Rcode.ServFail, false, nameEnd + 4);
        }
        return written;
    }

    /// <summary>What <see cref="Kubernetes"/> returns, instead of a response length, when it writes no response.</summary>
    private static class Unanswered
    {
        /// <summary>The name is in no kubernetes zone of the route: the next plugin takes it.</summary>
        public const int NotKubernetes = -2;
        /// <summary>NXDOMAIN under a fallthrough zone: the next plugin takes it, as CoreDNS's fallthrough does.</summary>
        public const int FallsThrough = -3;
    }

    public System.Collections.Generic.IReadOnlyList<string> UpstreamsOf(int route) => _d.Routes[route].Upstreams;

    private int Kubernetes(ReadOnlySpan<byte> query, Span<byte> response, int nameEnd, ReadOnlySpan<byte> qname, int zone, DnsType qtype)
    {
        if (qtype is DnsType.AXFR or DnsType.IXFR) return Header(query, response, Rcode.Refused, false, nameEnd + 4);
        var z = _d.Zones[zone];
        int e = FindEntry(qname);
        if (e < 0) e = FindCanonical(qname, z);
        if (e >= 0)
        {
            int answer = EntryAnswer(qname, e, z, qtype);
            if (answer == Unanswered.FallsThrough) return answer;
            if (answer >= 0) return CopyAnswer(query, response, nameEnd, answer, 0xC000 | (nameEnd - z.Wire.Length));
        }
        if (_d.PodMode != PodMode.Disabled && !z.IsReverse)
        {
            int pod = PodAnswer(query, response, nameEnd, qname, z, qtype);
            if (pod != -1) return pod;
        }
        bool soa = qtype == DnsType.SOA;
        if (!soa && FallsThrough(qname)) return Unanswered.FallsThrough;
        return Negative(query, response, nameEnd, z, soa ? Rcode.NoError : Rcode.NXDomain);
    }

    /// <summary>
    /// The answer an entry found for <paramref name="qname"/> gives to <paramref name="qtype"/>;
    /// <see cref="Unanswered.FallsThrough"/> for its NXDOMAIN under a fallthrough zone, or -1 when the entry does not
    /// hold the name as asked (a zone or an NS question in upper case where the plan answers lower case only).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int EntryAnswer(ReadOnlySpan<byte> qname, int e, CompiledZone z, DnsType qtype)
    {
        var row = Entry(e);
        var flags = (EntryFlags)row[EntryField.Flags];
        if ((flags & EntryFlags.ZoneNeedsLowerCase) != 0 && HasUpper(qname.Slice(qname.Length - z.Wire.Length))) return -1;
        var qc = ClassOf(qtype);
        if (qc == QueryTypeGroup.NS && (flags & EntryFlags.NsNeedsLowerCase) != 0 && HasUpper(qname)) qc = QueryTypeGroup.Other;
        int answer = AnswerOf(row, qc);
        return RcodeOf(answer) == Rcode.NXDomain && FallsThrough(qname) ? Unanswered.FallsThrough : answer;
    }

    /// <summary>
    /// Copies an answer after the question, patches its zone pointers to where the zone stands in this question, and
    /// rotates its address runs in place for loadbalance.
    /// </summary>
    private int CopyAnswer(ReadOnlySpan<byte> query, Span<byte> response, int nameEnd, int answer, int zonePointer)
    {
        var a = _d.Answers.AsSpan(answer * CompiledLayout.AnswerSize);
        int start = Header(query, response, (Rcode)a[AnswerField.Rcode], a[AnswerField.Authoritative] != 0, nameEnd + 4);
        int end = CopyRecords(response, start, a, zonePointer);
        return end < 0 ? Truncated(response, start) : end;
    }

    /// <summary>
    /// An answer's records written at <paramref name="start"/> (<paramref name="a"/> is its row), with the section
    /// counts, zone pointers set to <paramref name="zonePointer"/> and address runs rotated; -1 when they do not fit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int CopyRecords(Span<byte> response, int start, ReadOnlySpan<byte> a, int zonePointer)
    {
        int dataOff = BinaryPrimitives.ReadInt32LittleEndian(a.Slice(AnswerField.DataOffset));
        int dataLen = BinaryPrimitives.ReadUInt16LittleEndian(a.Slice(AnswerField.DataLength));
        if (start + dataLen > response.Length) return -1;
        ushort an = BinaryPrimitives.ReadUInt16LittleEndian(a.Slice(AnswerField.AnswerCount));
        ushort ns = BinaryPrimitives.ReadUInt16LittleEndian(a.Slice(AnswerField.AuthorityCount));
        ushort ar = BinaryPrimitives.ReadUInt16LittleEndian(a.Slice(AnswerField.AdditionalCount));
        SetCounts(response, an, ns, ar);
        var body = response.Slice(start, dataLen);
        _d.AnswerData.AsSpan(dataOff, dataLen).CopyTo(body);
        int fixupCount = BinaryPrimitives.ReadUInt16LittleEndian(a.Slice(AnswerField.FixupCount));
        if (fixupCount > 0)
        {
            var fixups = _d.Fixups.AsSpan(BinaryPrimitives.ReadInt32LittleEndian(a.Slice(AnswerField.FixupsIndex)) * 4, fixupCount * 4);
            for (int i = 0; i < fixupCount; i++)
                BinaryPrimitives.WriteUInt16BigEndian(body.Slice(BinaryPrimitives.ReadInt32LittleEndian(fixups.Slice(i * 4))), (ushort)zonePointer);
        }
        int runCountAn = BinaryPrimitives.ReadUInt16LittleEndian(a.Slice(AnswerField.AnswerRunCount));
        int runCountAr = BinaryPrimitives.ReadUInt16LittleEndian(a.Slice(AnswerField.AdditionalRunCount));
        long rot = Volatile.Read(ref _rotation) + 1; // the counter this query takes (incremented once it is answered)
        if ((runCountAn | runCountAr) != 0 && rot > 0)
        {
            var offs = _d.RecordOffsets.AsSpan(BinaryPrimitives.ReadInt32LittleEndian(a.Slice(AnswerField.RecordOffsetsIndex)) * 4);
            Rotate(body, offs, BinaryPrimitives.ReadUInt16LittleEndian(a.Slice(AnswerField.AnswerRunFirst)), runCountAn, rot);
            Rotate(body, offs, an + ns + BinaryPrimitives.ReadUInt16LittleEndian(a.Slice(AnswerField.AdditionalRunFirst)), runCountAr, rot);
        }
        return start + dataLen;
    }

    private static int Off(ReadOnlySpan<byte> offs, int i) => BinaryPrimitives.ReadInt32LittleEndian(offs.Slice(i * 4));

    /// <summary>Rotates records [first, first+count) left by (rot mod count), in place: reverse both parts, then the whole.</summary>
    private static void Rotate(Span<byte> body, ReadOnlySpan<byte> offs, int first, int count, long rot)
    {
        if (count < 2) return;
        int k = (int)(rot % count);
        if (k == 0) return;
        int a = Off(offs, first), m = Off(offs, first + k), b = Off(offs, first + count);
        body.Slice(a, m - a).Reverse();
        body.Slice(m, b - m).Reverse();
        body.Slice(a, b - a).Reverse();
    }

    /// <summary>
    /// Port and protocol labels may be written without their underscore (http.tcp.svc…); the tables hold the canonical
    /// _http._tcp form, so a miss is retried with the underscores added.
    /// </summary>
    private int FindCanonical(ReadOnlySpan<byte> qname, CompiledZone z)
    {
        int zoneStart = qname.Length - z.Wire.Length;
        Span<int> starts = stackalloc int[6];
        int n = 0, p = 0;
        while (p < zoneStart) { if (n == 6) return -1; starts[n++] = p; p += qname[p] + 1; }
        if (n != 5) return -1;
        bool port = NeedsUnderscore(qname, starts[0]), proto = NeedsUnderscore(qname, starts[1]);
        if (!port && !proto) return -1;
        Span<byte> canonical = stackalloc byte[qname.Length + 2];
        int w = 0;
        for (int i = 0; i < 2; i++)
        {
            int len = qname[starts[i]];
            bool add = i == 0 ? port : proto;
            if (len + (add ? 1 : 0) > 63) return -1;
            canonical[w++] = (byte)(len + (add ? 1 : 0));
            if (add) canonical[w++] = (byte)'_';
            qname.Slice(starts[i] + 1, len).CopyTo(canonical.Slice(w));
            w += len;
        }
        qname.Slice(starts[2]).CopyTo(canonical.Slice(w));
        return FindEntry(canonical.Slice(0, w + qname.Length - starts[2]));
    }

    private static bool NeedsUnderscore(ReadOnlySpan<byte> qname, int at) => qname[at] > 0 && qname[at + 1] != '_';


    // The header rules every engine shares (FastPath.Dns.Wire.DnsResponseHeader), under the short names this file uses.
    private static int Header(ReadOnlySpan<byte> query, Span<byte> response, Rcode rcode, bool aa, int questionEnd) =>
        DnsResponseHeader.Write(query, response, rcode, aa, questionEnd);

    private static void SetCounts(Span<byte> response, int an, int ns, int ar) => DnsResponseHeader.SetCounts(response, an, ns, ar);

    private static int Truncated(Span<byte> response, int questionEnd) => DnsResponseHeader.Truncate(response, questionEnd);

    /// <summary>NXDOMAIN (or NODATA) with the zone's SOA, its names pointing at the zone inside the question.</summary>
    private static int Negative(ReadOnlySpan<byte> query, Span<byte> response, int nameEnd, CompiledZone z, Rcode rcode)
    {
        int w = Header(query, response, rcode, true, nameEnd + 4);
        int zonePtr = 0xC000 | (nameEnd - z.Wire.Length);
        SetCounts(response, 0, 1, 0);
        return WriteSoa(response, w, zonePtr, z);
    }

    private static int WriteSoa(Span<byte> r, int w, int zonePtr, CompiledZone z)
    {
        BinaryPrimitives.WriteUInt16BigEndian(r.Slice(w), (ushort)zonePtr); w += 2;
        BinaryPrimitives.WriteUInt16BigEndian(r.Slice(w), (ushort)DnsType.SOA); w += 2;
        BinaryPrimitives.WriteUInt16BigEndian(r.Slice(w), 1); w += 2;
        BinaryPrimitives.WriteUInt32BigEndian(r.Slice(w), z.SoaTtl); w += 4;
        BinaryPrimitives.WriteUInt16BigEndian(r.Slice(w), 42); w += 2;
        "\u0002ns\u0003dns"u8.CopyTo(r.Slice(w)); w += 7;
        BinaryPrimitives.WriteUInt16BigEndian(r.Slice(w), (ushort)zonePtr); w += 2;
        "\u000ahostmaster"u8.CopyTo(r.Slice(w)); w += 11;
        BinaryPrimitives.WriteUInt16BigEndian(r.Slice(w), (ushort)zonePtr); w += 2;
        BinaryPrimitives.WriteUInt32BigEndian(r.Slice(w), z.Serial);
        BinaryPrimitives.WriteUInt32BigEndian(r.Slice(w + 4), 7200);
        BinaryPrimitives.WriteUInt32BigEndian(r.Slice(w + 8), 1800);
        BinaryPrimitives.WriteUInt32BigEndian(r.Slice(w + 12), 86400);
        BinaryPrimitives.WriteUInt32BigEndian(r.Slice(w + 16), z.Minimum);
        return w + 20;
    }

    private static bool HasUpper(ReadOnlySpan<byte> s)
    {
        foreach (var b in s) if (b >= 'A' && b <= 'Z') return true;
        return false;
    }

    // ---- zones and routes -----------------------------------------------------------------------------------------

    /// <summary>Whether the wire name ends with the wire zone at a label boundary (any case).</summary>
    private static bool IsSubdomain(ReadOnlySpan<byte> name, ReadOnlySpan<byte> zone)
    {
        if (zone.Length > name.Length) return false;
        int start = name.Length - zone.Length;
        int p = 0;
        while (p < start) { int len = name[p]; if (len == 0) return false; p += len + 1; }
        return p == start && System.Text.Ascii.EqualsIgnoreCase(name.Slice(start), zone);
    }

    private int LongestRoute(ReadOnlySpan<byte> qname) => Longest(qname, _d.Routes);

    private int LongestZone(ReadOnlySpan<byte> qname) => Longest(qname, _d.Zones);

    /// <summary>The index of the longest zone the name lies in (CoreDNS's longest match), or -1.</summary>
    private static int Longest<T>(ReadOnlySpan<byte> qname, System.Collections.Generic.IReadOnlyList<T> zones) where T : IWireZone
    {
        int best = -1, bestLen = -1;
        for (int i = 0; i < zones.Count; i++)
        {
            var w = zones[i].Wire;
            if (w.Length > bestLen && IsSubdomain(qname, w)) { best = i; bestLen = w.Length; }
        }
        return best;
    }

    private bool FallsThrough(ReadOnlySpan<byte> qname) => _fallthrough.Length != 0 && InAny(qname, _fallthrough);

    private static bool InAny(ReadOnlySpan<byte> qname, System.Collections.Generic.IReadOnlyList<byte[]> zones)
    {
        for (int i = 0; i < zones.Count; i++) if (IsSubdomain(qname, zones[i])) return true;
        return false;
    }

    /// <summary><see cref="InAny(ReadOnlySpan{byte}, System.Collections.Generic.IReadOnlyList{byte[]})"/> over an array, without an interface call per zone.</summary>
    private static bool InAny(ReadOnlySpan<byte> qname, byte[][] zones)
    {
        foreach (var zone in zones) if (IsSubdomain(qname, zone)) return true;
        return false;
    }
}
