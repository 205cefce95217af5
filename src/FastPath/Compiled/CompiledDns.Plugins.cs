using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Threading;
using FastPath.Compiled.Plugins;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Model.Corefile.Plugins;
using FastPath.Model.Tables;

namespace FastPath.Compiled;

public sealed partial class CompiledDns
{
    /// <summary>The longest question the plugins build: header, a wire name, type and class.</summary>
    private const int QuestionRoom = 12 + WireNames.MaxLength + 4;

    /// <summary>
    /// The first responses the plugins work from are written on the stack up to this size (a UDP response with EDNS
    /// fits), in a pooled buffer beyond it.
    /// </summary>
    private const int InnerOnStack = 2048;

    /// <summary>
    /// A server block with rewrite, autopath or hosts, in CoreDNS's plugin order: the question is rewritten into a
    /// stack buffer, autopath walks the client's search path, hosts answers before the kubernetes tables, and the
    /// response is written back for the question as asked (plugin/rewrite ResponseReverter, autopath's cnamer).
    /// </summary>
    private int ThroughPlugins(ReadOnlySpan<byte> query, Span<byte> response, int nameEnd, DnsType qtype, int route, CompiledChain chain,
        ReadOnlySpan<byte> client, out DnsOutcome outcome)
    {
        var rules = chain.Rewrite;
        bool onWire = false;
        int first = rules?.FirstCandidate(query.Slice(12, nameEnd - 12), out onWire) ?? -1;
        if (first < 0) return Autopath(query, response, nameEnd, qtype, route, chain, client, out outcome);
        Span<byte> rewritten = stackalloc byte[QuestionRoom];
        Span<bool> applied = stackalloc bool[rules!.Count];
        applied.Clear(); // the module skips locals init
        int length = rules.Rewrite(query.Slice(12, nameEnd - 12), first, onWire, rewritten.Slice(12), applied);
        if (length == 0) return Autopath(query, response, nameEnd, qtype, route, chain, client, out outcome);
        if (length < 0)
        {
            // The rules made a name the wire cannot carry: nothing can answer it.
            outcome = DnsOutcome.Answered;
            return DnsResponseHeader.Write(query, response, Rcode.ServFail, authoritative: false, nameEnd + 4);
        }
        query.Slice(0, 12).CopyTo(rewritten);
        query.Slice(nameEnd, 4).CopyTo(rewritten.Slice(12 + length));
        byte[]? rented = null;
        Span<byte> inner = response.Length <= InnerOnStack ? stackalloc byte[InnerOnStack] : (rented = ArrayPool<byte>.Shared.Rent(response.Length));
        try
        {
            int n = Autopath(rewritten.Slice(0, 12 + length + 4), inner, 12 + length, qtype, route, chain, client, out outcome);
            return ResponseRebuilder.Write(inner.Slice(0, n), query, nameEnd, response, cnamer: false, rules, applied, rewritten.Slice(12, length),
                ownersToQuestion: rules.MapsOwnersBack(applied));
        }
        finally { if (rented is not null) ArrayPool<byte>.Shared.Return(rented); }
    }

    /// <summary>
    /// autopath: each name of the client's search path is tried in turn; the first that is not NXDOMAIN is answered
    /// behind a CNAME from the name asked; a forwarded try goes out as is; when all are NXDOMAIN the first one's
    /// answer is given (plugin/autopath/autopath.go ServeDNS). The roads that write a try in full and rebuild it
    /// (<see cref="TryInFull"/>, <see cref="Cnamed"/>) have their own inner buffer, so the usual one (probes, then an
    /// answer written behind the CNAME) sets up no 2 KB stack buffer. Never inlined: inlined into
    /// <see cref="ThroughPlugins"/> it shared that method's inlining budget, which ran out, leaving span conversions
    /// and small helpers on its path as calls.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private int Autopath(ReadOnlySpan<byte> query, Span<byte> response, int nameEnd, DnsType qtype, int route, CompiledChain chain,
        ReadOnlySpan<byte> client, out DnsOutcome outcome)
    {
        var qname = query.Slice(12, nameEnd - 12);
        if (chain.Autopath is not { } autopath || client.IsEmpty) return NextPlugin(query, response, nameEnd, qtype, route, chain, out outcome);
        var path = autopath.SearchPath(qname, client, out int baseLength, out var baseStarts);
        if (path is null) return NextPlugin(query, response, nameEnd, qtype, route, chain, out outcome);
        var search = path.Suffixes;
        // The first try is usually the question itself (a name under the client's own namespace, its suffix in
        // lower case): it is answered in place, and kept there in case every try is NXDOMAIN. Each try is probed
        // first: one that is surely NXDOMAIN is not written at all, and one a table entry answers is written from
        // the entry the probe found, so no name is looked up twice.
        bool inPlace = qname.Slice(baseLength).SequenceEqual(search[0]), kubernetes = _routes[route].Kubernetes;
        int first = -1;
        int zone = LongestZone(qname, baseStarts, baseLength, path.Starts[0]);
        if (inPlace && ProbeTry(qname, baseStarts, baseLength, path.Starts[0], zone, qtype, kubernetes, chain) is var probe && probe != TryProbe.NxDomain)
        {
            if (probe >= 0)
            {
                first = CopyAnswer(query, response, nameEnd, probe, 0xC000 | (nameEnd - _zones[zone].Wire.Length));
                outcome = DnsOutcome.Answered;
            }
            else first = NextPlugin(query, response, nameEnd, qtype, route, chain, out outcome);
            if (outcome == DnsOutcome.Forward) return first;
            if ((response[3] & 0xF) != (int)Rcode.NXDomain)
                // An answer owned by the question alone needs no CNAME (it would name the question itself).
                return ResponseRebuilder.OwnersAreQuestion(response.Slice(0, first), nameEnd) ? first : Cnamed(query, response, nameEnd, first);
        }
        System.Runtime.CompilerServices.Unsafe.SkipInit(out QuestionBuffer room); // written before it is read, as stackalloc is
        Span<byte> attempt = room;
        query.Slice(0, 12 + baseLength).CopyTo(attempt);
        for (int i = inPlace ? 1 : 0; i < search.Length; i++)
        {
            int end = Attempt(attempt, query, nameEnd, baseLength, search[i]);
            if (end < 0) continue; // too long to be a name
            var name = attempt.Slice(12, end - 12);
            int tryZone = ZoneOfTry(zone, search[i], name, baseStarts, baseLength, path.Starts[i]);
            int found = ProbeTry(name, baseStarts, baseLength, path.Starts[i], tryZone, qtype, kubernetes, chain);
            if (found == TryProbe.NxDomain || (found >= 0 && RcodeOf(found) == Rcode.NXDomain)) continue;
            if (found >= 0 && BehindCname(query, response, nameEnd, name, found, _zones[tryZone]) is var direct and >= 0)
            {
                outcome = DnsOutcome.Answered;
                return direct;
            }
            int n = TryInFull(query, response, nameEnd, attempt.Slice(0, end + 4), qtype, route, chain, orNxDomain: true, out outcome);
            if (n >= 0) return n;
        }
        // Every try was NXDOMAIN: the first one's answer, for the question as asked.
        outcome = DnsOutcome.Answered;
        if (first >= 0) return first;
        if (inPlace) return NextPlugin(query, response, nameEnd, qtype, route, chain, out outcome);
        int firstEnd = Attempt(attempt, query, nameEnd, baseLength, search[0]);
        return TryInFull(query, response, nameEnd, attempt.Slice(0, firstEnd + 4), qtype, route, chain, orNxDomain: false, out outcome);
    }

    /// <summary>A question's room: a local of this type needs no stack allocation (which would keep the method from tiering with PGO).</summary>
    [System.Runtime.CompilerServices.InlineArray(QuestionRoom)]
    private struct QuestionBuffer { private byte _first; }

    /// <summary>
    /// A try (<paramref name="attempt"/>, a query) answered in full by the plugins after autopath, and written for the
    /// question as asked, behind a CNAME unless it was forwarded; -1 when it is NXDOMAIN and
    /// <paramref name="orNxDomain"/> (the next try is then made), else the first try's answer as it stands.
    /// </summary>
    private int TryInFull(ReadOnlySpan<byte> query, Span<byte> response, int nameEnd, ReadOnlySpan<byte> attempt, DnsType qtype, int route,
        CompiledChain chain, bool orNxDomain, out DnsOutcome outcome)
    {
        byte[]? rented = null;
        Span<byte> inner = response.Length <= InnerOnStack ? stackalloc byte[InnerOnStack] : (rented = ArrayPool<byte>.Shared.Rent(response.Length));
        try
        {
            int n = NextPlugin(attempt, inner, attempt.Length - 4, qtype, route, chain, out outcome);
            if (!orNxDomain)
                return ResponseRebuilder.Write(inner.Slice(0, n), query, nameEnd, response, cnamer: false, null, default, default, ownersToQuestion: false);
            if (outcome != DnsOutcome.Forward && (inner[3] & 0xF) == (int)Rcode.NXDomain) return -1;
            return ResponseRebuilder.Write(inner.Slice(0, n), query, nameEnd, response, cnamer: outcome != DnsOutcome.Forward, null, default, default, ownersToQuestion: false);
        }
        finally { if (rented is not null) ArrayPool<byte>.Shared.Return(rented); }
    }

    /// <summary>The first <paramref name="length"/> bytes of the response, the question's own answer, put behind autopath's CNAME.</summary>
    private static int Cnamed(ReadOnlySpan<byte> query, Span<byte> response, int nameEnd, int length)
    {
        byte[]? rented = null;
        Span<byte> inner = response.Length <= InnerOnStack ? stackalloc byte[InnerOnStack] : (rented = ArrayPool<byte>.Shared.Rent(response.Length));
        try
        {
            response.Slice(0, length).CopyTo(inner);
            return ResponseRebuilder.Write(inner.Slice(0, length), query, nameEnd, response, cnamer: true, null, default, default, ownersToQuestion: false);
        }
        finally { if (rented is not null) ArrayPool<byte>.Shared.Return(rented); }
    }

    /// <summary>What <see cref="ProbeTry"/> returns when it has no answer to give.</summary>
    private static class TryProbe
    {
        /// <summary>The try is surely NXDOMAIN.</summary>
        public const int NxDomain = -1;
        /// <summary>Some plugin or rule may answer it: the try is to be made in full.</summary>
        public const int Unsure = -2;
    }

    /// <summary>
    /// What a search-path try in <paramref name="zone"/> comes to, learned without writing it (its label starts are
    /// its base's, <paramref name="baseStarts"/>, and its suffix's): the answer a table
    /// entry gives it when hosts passes it on and <see cref="Kubernetes"/> (<paramref name="kubernetes"/>: the route
    /// has it) would copy that answer;
    /// <see cref="TryProbe.NxDomain"/> when hosts passes it on and in <see cref="Kubernetes"/> no entry holds it and
    /// no rule answers it (the underscore-less SRV form, a pod name, a fallthrough zone, SOA's NODATA); else
    /// <see cref="TryProbe.Unsure"/>.
    /// </summary>
    private int ProbeTry(ReadOnlySpan<byte> name, in LabelStarts baseStarts, int baseLength, in LabelStarts suffixStarts, int zone, DnsType qtype,
        bool kubernetes, CompiledChain chain)
    {
        if (qtype is DnsType.SOA or DnsType.PTR or DnsType.AXFR or DnsType.IXFR || !kubernetes) return TryProbe.Unsure;
        if (chain.Hosts is { } hosts && !hosts.Passes(name)) return TryProbe.Unsure;
        if (zone < 0) return TryProbe.Unsure;
        var z = _zones[zone];
        if (z.IsReverse) return TryProbe.Unsure;
        int e = FindTry(name);
        if (e >= 0) return EntryAnswer(name, e, z, qtype) is var hit and >= 0 ? hit : TryProbe.Unsure;
        // FindCanonical finds nothing unless five labels stand before the zone: the count saves its walk.
        if (LabelStarts.CountBelowJoined(baseStarts, baseLength, suffixStarts, name.Length - z.Wire.Length) == 5) e = FindCanonical(name, z);
        if (e >= 0) return EntryAnswer(name, e, z, qtype) is var answer and >= 0 ? answer : TryProbe.Unsure;
        if (FallsThrough(name)) return TryProbe.Unsure;
        // PodAnswer answers only names whose label before the zone is "pod".
        return _d.PodMode == PodMode.Disabled || !LabelStarts.LabelBeforeIs(name, baseStarts, baseLength, suffixStarts, name.Length - z.Wire.Length, "pod"u8)
            ? TryProbe.NxDomain : TryProbe.Unsure;
    }

    /// <summary>
    /// <see cref="FindEntry(ReadOnlySpan{byte})"/> for a search-path try, behind the <see cref="NameFilter"/>: most
    /// tries are no entry's name, and the filter proves that for most without the name's hash.
    /// </summary>
    private int FindTry(ReadOnlySpan<byte> name) => _flat is { } f ? FindTry(f, name) : FindTry(_chunked!, name);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private int FindTry<T>(IndexTables<T> t, ReadOnlySpan<byte> name) where T : struct, IIndexTable => MayHold(t, name) ? FindEntry(t, name) : -1;

    /// <summary>
    /// The zone of a try (<see cref="LongestZone(ReadOnlySpan{byte})"/>), from the question's zone
    /// <paramref name="questionZone"/> when that is certain: the suffix is at least as long as every zone (so no zone
    /// reaches into the base) and as the question's zone. Every zone that ends the suffix then ends the question too (the
    /// suffixes end the client's own search suffix, which ends the question), so the longest is the question's. Else
    /// the try's zone is looked for among its label starts (its base's and its suffix's).
    /// </summary>
    private int ZoneOfTry(int questionZone, ReadOnlySpan<byte> suffix, ReadOnlySpan<byte> name, in LabelStarts baseStarts, int baseLength,
        in LabelStarts suffixStarts)
    {
        if (suffix.Length >= _longestZone && (questionZone < 0 || _zones[questionZone].Wire.Length <= suffix.Length)) return questionZone;
        return LongestZone(name, baseStarts, baseLength, suffixStarts);
    }

    /// <summary>
    /// <see cref="LongestZone(ReadOnlySpan{byte})"/> on a name made of a base and a search suffix whose label starts
    /// are known (<paramref name="baseStarts"/> below <paramref name="baseLength"/>, <paramref name="suffixStarts"/> above).
    /// </summary>
    private int LongestZone(ReadOnlySpan<byte> name, in LabelStarts baseStarts, int baseLength, in LabelStarts suffixStarts)
    {
        var zones = _zones;
        int best = -1, bestLen = -1;
        for (int i = 0; i < zones.Length; i++)
        {
            var w = zones[i].Wire;
            int at = name.Length - w.Length;
            if (w.Length > bestLen && at >= 0 && (at < baseLength ? baseStarts.Has(at) : suffixStarts.Has(at - baseLength))
                && NameCompare.EqualsIgnoreCaseShort(name.Slice(at), w)) { best = i; bestLen = w.Length; }
        }
        return best;
    }

    /// <summary>
    /// A try's answer written straight behind autopath's CNAME: the question as asked, the CNAME to the tried name
    /// (with the first answer's TTL), then the answer's records, their pointers to the question moved onto the
    /// CNAME's target. -1 when this is not the response's shape (the tried name is the question's in another case, no
    /// answer records, the first not owned by the tried name, or it does not fit): the general road then takes it.
    /// </summary>
    private int BehindCname(ReadOnlySpan<byte> query, Span<byte> response, int nameEnd, ReadOnlySpan<byte> tried, int answer, CompiledZone z)
    {
        var a = _d.Answers.AsSpan(answer * CompiledLayout.AnswerSize);
        int an = BinaryPrimitives.ReadUInt16LittleEndian(a.Slice(AnswerField.AnswerCount));
        if (an == 0 || (tried.Length == nameEnd - 12 && System.Text.Ascii.EqualsIgnoreCase(tried, query.Slice(12, nameEnd - 12)))) return -1;
        int cname = nameEnd + 4, target = cname + 12, start = target + tried.Length;
        if (start + BinaryPrimitives.ReadUInt16LittleEndian(a.Slice(AnswerField.DataLength)) > Math.Min(response.Length, 0x3FFF)) return -1;
        Header(query, response, (Rcode)a[AnswerField.Rcode], a[AnswerField.Authoritative] != 0, cname);
        int end = CopyRecords(response, start, a, 0xC000 | (start - z.Wire.Length));
        if (BinaryPrimitives.ReadUInt16BigEndian(response.Slice(start)) != 0xC00C
            || !ResponseRebuilder.PointQuestionAt(response.Slice(0, end), start, an + BinaryPrimitives.ReadUInt16BigEndian(response.Slice(8))
                + BinaryPrimitives.ReadUInt16BigEndian(response.Slice(10)), target)) return -1;
        BinaryPrimitives.WriteUInt16BigEndian(response.Slice(cname), 0xC00C);
        BinaryPrimitives.WriteUInt16BigEndian(response.Slice(cname + 2), (ushort)DnsType.CNAME);
        BinaryPrimitives.WriteUInt16BigEndian(response.Slice(cname + 4), 1);
        Copy4(response.Slice(start + 6), response.Slice(cname + 6)); // the first answer's TTL
        BinaryPrimitives.WriteUInt16BigEndian(response.Slice(cname + 10), (ushort)tried.Length);
        tried.CopyTo(response.Slice(target));
        BinaryPrimitives.WriteUInt16BigEndian(response.Slice(6), (ushort)(an + 1));
        return end;
    }

    /// <summary>The query with its name's base (kept as asked) under one search suffix; returns the name's end, -1 when too long.</summary>
    private static int Attempt(Span<byte> attempt, ReadOnlySpan<byte> query, int nameEnd, int baseLength, ReadOnlySpan<byte> suffix)
    {
        if (baseLength + suffix.Length > WireNames.MaxLength) return -1;
        suffix.CopyTo(attempt.Slice(12 + baseLength));
        int end = 12 + baseLength + suffix.Length;
        Copy4(query.Slice(nameEnd), attempt.Slice(end)); // type and class
        return end;
    }

    /// <summary>Four bytes (a TTL; a type and class) copied as one load and store, not a call to the general copy.</summary>
    private static void Copy4(ReadOnlySpan<byte> from, Span<byte> to) => MemoryMarshal.Write(to, MemoryMarshal.Read<uint>(from));

    /// <summary>hosts, then the kubernetes tables and what follows them.</summary>
    private int NextPlugin(ReadOnlySpan<byte> query, Span<byte> response, int nameEnd, DnsType qtype, int route, CompiledChain chain, out DnsOutcome outcome)
    {
        long rotation = _d.Routes[route].LoadBalance ? Volatile.Read(ref _rotation) + 1 : 0;
        if (chain.Hosts?.Answer(query, response, nameEnd, qtype, rotation) is int hosts and >= 0)
        {
            outcome = DnsOutcome.Answered;
            return hosts;
        }
        return AfterPlugins(query, response, nameEnd, route, qtype, out outcome);
    }

    /// <summary>The client's address as bytes (4 or 16), for autopath; empty when unknown.</summary>
    private static ReadOnlySpan<byte> ClientBytes(System.Net.IPAddress? client, Span<byte> into) =>
        client is not null && client.TryWriteBytes(into, out int n) ? into.Slice(0, n) : default;
}
