using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using FastPath.Dns;
using FastPath.Dns.Wire;

namespace FastPath.Reference.Dns;

/// <summary>
/// The interpreter on the wire: a raw query in, a raw response out (read, resolve, encode; it allocates, the compiled
/// engine does not). The one place a raw packet is interpreted by the reference resolver, for the server's reference
/// engine and for compiled clusters that fall back to the interpreter.
/// </summary>
public static class ReferenceWire
{
    /// <summary>Answers a raw query; -1 when it is to be dropped. Forward outcomes name their upstreams.</summary>
    public static int Respond(ReferenceResolver resolver, ReadOnlySpan<byte> query, Span<byte> response,
        out DnsOutcome outcome, out IReadOnlyList<string> upstreams) =>
        Respond(resolver, query, response, default, out outcome, out upstreams);

    /// <summary>
    /// Answers a raw query from a client whose address (<paramref name="client"/>: 4 or 16 bytes, empty when unknown)
    /// autopath reads to find the client's pod, as CoreDNS reads the request's source address.
    /// </summary>
    public static int Respond(ReferenceResolver resolver, ReadOnlySpan<byte> query, Span<byte> response, ReadOnlySpan<byte> client,
        out DnsOutcome outcome, out IReadOnlyList<string> upstreams)
    {
        outcome = DnsOutcome.Answered;
        upstreams = [];
        var verdict = DnsWireReader.CheckQuery(query, out int nameEnd, out ushort qtype, out _, out _);
        if (verdict == QueryVerdict.Drop) return -1;
        if (verdict != QueryVerdict.Answer) return DnsResponseHeader.Reject(query, response, verdict, nameEnd);
        return Answer(resolver, query, response, nameEnd, qtype, client.Length is 4 or 16 ? new System.Net.IPAddress(client) : null,
            out outcome, out upstreams);
    }

    /// <summary>Answers a query whose question (<c>[12, nameEnd + 4)</c>) has been read and accepted.</summary>
    public static int Answer(ReferenceResolver resolver, ReadOnlySpan<byte> query, Span<byte> response, int nameEnd, ushort qtype,
        out DnsOutcome outcome, out IReadOnlyList<string> upstreams) =>
        Answer(resolver, query, response, nameEnd, qtype, null, out outcome, out upstreams);

    private static int Answer(ReferenceResolver resolver, ReadOnlySpan<byte> query, Span<byte> response, int nameEnd, ushort qtype,
        System.Net.IPAddress? client, out DnsOutcome outcome, out IReadOnlyList<string> upstreams)
    {
        var name = new System.Text.StringBuilder();
        int p = DnsWireReader.HeaderLength;
        DnsWireReader.ReadName(query, ref p, name);
        var id = BinaryPrimitives.ReadUInt16BigEndian(query);
        var result = resolver.Resolve(new DnsQuery(name.ToString(), (DnsType)qtype, client, id, (query[2] & 1) != 0));
        outcome = result.Outcome;
        upstreams = result.Upstreams;
        var bytes = DnsWireWriter.Encode(result.Response);
        if (bytes.Length > response.Length)
        {
            bytes.AsSpan(0, nameEnd + 4).CopyTo(response);
            return DnsResponseHeader.Truncate(response, nameEnd + 4);
        }
        bytes.CopyTo(response);
        return bytes.Length;
    }
}
