using System;
using System.Collections.Generic;
using FastPath.Compiled;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Reference.Dns;

namespace FastPath.Server;

/// <summary>Answers wire-format queries: the reference interpreter behind the shape of <c>CompiledDns.Respond</c>.</summary>
internal interface IDnsEngine
{
    /// <summary>Writes the response; -1 to drop. Forward outcomes name their upstreams.</summary>
    int Respond(ReadOnlySpan<byte> query, Span<byte> response, out DnsOutcome outcome, out IReadOnlyList<string> upstreams) =>
        Respond(query, response, default, out outcome, out upstreams);

    /// <summary>The same for a client whose address (4 or 16 bytes; empty when unknown) autopath reads.</summary>
    int Respond(ReadOnlySpan<byte> query, Span<byte> response, ReadOnlySpan<byte> client, out DnsOutcome outcome, out IReadOnlyList<string> upstreams);
}

/// <summary>The compiled engine behind the same shape, so the fuzz runner and the concurrency tests drive both engines alike.</summary>
internal sealed class CompiledEngine(CompiledDns dns) : IDnsEngine
{
    public int Respond(ReadOnlySpan<byte> query, Span<byte> response, out DnsOutcome outcome, out IReadOnlyList<string> upstreams) =>
        Respond(query, response, default, out outcome, out upstreams);

    public int Respond(ReadOnlySpan<byte> query, Span<byte> response, ReadOnlySpan<byte> client, out DnsOutcome outcome, out IReadOnlyList<string> upstreams)
    {
        int n = dns.Respond(query, response, client, out outcome, out int route);
        upstreams = outcome == DnsOutcome.Forward ? dns.UpstreamsOf(route) : [];
        return n;
    }
}

/// <summary>The interpreter on the wire: read, resolve, encode (it allocates; the compiled engine does not).</summary>
internal sealed class ReferenceEngine(ReferenceResolver resolver) : IDnsEngine
{
    public int Respond(ReadOnlySpan<byte> query, Span<byte> response, out DnsOutcome outcome, out IReadOnlyList<string> upstreams) =>
        ReferenceWire.Respond(resolver, query, response, out outcome, out upstreams);

    public int Respond(ReadOnlySpan<byte> query, Span<byte> response, ReadOnlySpan<byte> client, out DnsOutcome outcome, out IReadOnlyList<string> upstreams) =>
        ReferenceWire.Respond(resolver, query, response, client, out outcome, out upstreams);
}
