using System;
using System.Buffers;
using System.Threading;
using FastPath.Compiled.Plugins;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Model.Corefile.Plugins;

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
        if (rules is null) return Autopath(query, response, nameEnd, qtype, route, chain, client, out outcome);
        Span<byte> rewritten = stackalloc byte[QuestionRoom];
        Span<bool> applied = stackalloc bool[rules.Count];
        applied.Clear(); // the module skips locals init
        int length = rules.Rewrite(query.Slice(12, nameEnd - 12), rewritten.Slice(12), applied);
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
    /// answer is given (plugin/autopath/autopath.go ServeDNS).
    /// </summary>
    private int Autopath(ReadOnlySpan<byte> query, Span<byte> response, int nameEnd, DnsType qtype, int route, CompiledChain chain,
        ReadOnlySpan<byte> client, out DnsOutcome outcome)
    {
        var qname = query.Slice(12, nameEnd - 12);
        int baseLength = 0;
        var search = chain.Autopath?.SearchPath(qname, client, out baseLength);
        if (search is null) return NextPlugin(query, response, nameEnd, qtype, route, chain, out outcome);
        byte[]? rented = null;
        Span<byte> inner = response.Length <= InnerOnStack ? stackalloc byte[InnerOnStack] : (rented = ArrayPool<byte>.Shared.Rent(response.Length));
        try
        {
            // The first try is usually the question itself (a name under the client's own namespace, its suffix in
            // lower case): it is answered in place, and kept there in case every try is NXDOMAIN. A try that is surely
            // NXDOMAIN costs a table probe and is not written at all.
            bool inPlace = qname.Slice(baseLength).SequenceEqual(search[0]);
            int first = -1;
            if (inPlace && !SurelyNxDomain(qname, qtype, route, chain))
            {
                first = NextPlugin(query, response, nameEnd, qtype, route, chain, out outcome);
                if (outcome == DnsOutcome.Forward) return first;
                if ((response[3] & 0xF) != (int)Rcode.NXDomain)
                {
                    if (ResponseRebuilder.OwnersAreQuestion(response.Slice(0, first), nameEnd)) return first; // the CNAME would name the question itself
                    response.Slice(0, first).CopyTo(inner);
                    return ResponseRebuilder.Write(inner.Slice(0, first), query, nameEnd, response, cnamer: true, null, default, default, ownersToQuestion: false);
                }
            }
            Span<byte> attempt = stackalloc byte[QuestionRoom];
            query.Slice(0, 12 + baseLength).CopyTo(attempt);
            for (int i = inPlace ? 1 : 0; i < search.Length; i++)
            {
                int end = Attempt(attempt, query, nameEnd, baseLength, search[i]);
                if (end < 0 || SurelyNxDomain(attempt.Slice(12, end - 12), qtype, route, chain)) continue; // no such name
                int n = NextPlugin(attempt.Slice(0, end + 4), inner, end, qtype, route, chain, out outcome);
                bool nx = outcome != DnsOutcome.Forward && (inner[3] & 0xF) == (int)Rcode.NXDomain;
                if (nx) continue;
                return ResponseRebuilder.Write(inner.Slice(0, n), query, nameEnd, response, cnamer: outcome != DnsOutcome.Forward, null, default, default, ownersToQuestion: false);
            }
            // Every try was NXDOMAIN: the first one's answer, for the question as asked.
            outcome = DnsOutcome.Answered;
            if (first >= 0) return first;
            if (inPlace) return NextPlugin(query, response, nameEnd, qtype, route, chain, out outcome);
            int firstEnd = Attempt(attempt, query, nameEnd, baseLength, search[0]);
            int m = NextPlugin(attempt.Slice(0, firstEnd + 4), inner, firstEnd, qtype, route, chain, out outcome);
            return ResponseRebuilder.Write(inner.Slice(0, m), query, nameEnd, response, cnamer: false, null, default, default, ownersToQuestion: false);
        }
        finally { if (rented is not null) ArrayPool<byte>.Shared.Return(rented); }
    }

    /// <summary>
    /// Whether a search-path try is NXDOMAIN without writing it: hosts passes it on, and in <see cref="Kubernetes"/>
    /// no entry holds it and no rule answers it (the underscore-less SRV form, a pod name, a fallthrough zone, SOA's
    /// NODATA). True only when sure; anything else is tried in full.
    /// </summary>
    private bool SurelyNxDomain(ReadOnlySpan<byte> name, DnsType qtype, int route, CompiledChain chain)
    {
        if (qtype is DnsType.SOA or DnsType.PTR or DnsType.AXFR or DnsType.IXFR || !_d.Routes[route].Kubernetes) return false;
        if (chain.Hosts is { } hosts && !hosts.Passes(name)) return false;
        int zone = LongestZone(name);
        if (zone < 0) return false;
        var z = _d.Zones[zone];
        if (z.IsReverse || FindEntry(name) >= 0 || FindCanonical(name, z) >= 0 || FallsThrough(name)) return false;
        return _d.PodMode == PodMode.Disabled || !HasLabel(name, "pod"u8);
    }

    private static bool HasLabel(ReadOnlySpan<byte> name, ReadOnlySpan<byte> label)
    {
        for (int p = 0; name[p] != 0; p += name[p] + 1)
            if (System.Text.Ascii.EqualsIgnoreCase(name.Slice(p + 1, name[p]), label)) return true;
        return false;
    }

    /// <summary>The query with its name's base (kept as asked) under one search suffix; returns the name's end, -1 when too long.</summary>
    private static int Attempt(Span<byte> attempt, ReadOnlySpan<byte> query, int nameEnd, int baseLength, ReadOnlySpan<byte> suffix)
    {
        if (baseLength + suffix.Length > WireNames.MaxLength) return -1;
        suffix.CopyTo(attempt.Slice(12 + baseLength));
        int end = 12 + baseLength + suffix.Length;
        query.Slice(nameEnd, 4).CopyTo(attempt.Slice(end));
        return end;
    }

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
