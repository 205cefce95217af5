using System;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Reference.Dns;

namespace FastPath.Compiled;

public sealed partial class CompiledDns
{
    /// <summary>
    /// Answers one query as a message: the convenience form for tools and tests (it allocates). The wire path,
    /// <see cref="Respond"/>, is the one servers use.
    /// </summary>
    public DnsResult Resolve(DnsQuery query)
    {
        var wire = DnsWireWriter.Query(query.Id, query.Name, query.Type, query.RecursionDesired);
        var buffer = new byte[65535];
        Span<byte> client = stackalloc byte[16];
        int n = Respond(wire, buffer, ClientBytes(query.Client, client), out var outcome, out int route);
        var message = DnsWireReader.ReadMessage(buffer.AsSpan(0, n)) ?? throw new System.InvalidOperationException("the compiled engine wrote a malformed response (a FastPath bug)");
        return new DnsResult(message, outcome, outcome == DnsOutcome.Forward ? UpstreamsOf(route) : []);
    }
}
