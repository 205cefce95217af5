using System;
using System.Collections.Generic;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Reference.Dns;

namespace FastPath.Server;

/// <summary>Answers wire-format queries: the reference interpreter behind the shape of <c>CompiledDns.Respond</c>.</summary>
internal interface IDnsEngine
{
    /// <summary>Writes the response; -1 to drop. Forward outcomes name their upstreams.</summary>
    int Respond(ReadOnlySpan<byte> query, Span<byte> response, out DnsOutcome outcome, out IReadOnlyList<string> upstreams);
}

/// <summary>The interpreter on the wire: read, resolve, encode (it allocates; the compiled engine does not).</summary>
internal sealed class ReferenceEngine(ReferenceResolver resolver) : IDnsEngine
{
    public int Respond(ReadOnlySpan<byte> query, Span<byte> response, out DnsOutcome outcome, out IReadOnlyList<string> upstreams)
    {
        outcome = DnsOutcome.Answered;
        upstreams = [];
        if (query.Length < 12 || (query[2] & 0x80) != 0) return -1;
        var err = DnsWireReader.ReadQuestion(query, out int nameEnd, out ushort qtype, out _);
        int opcode = (query[2] >> 3) & 0xF;
        if (err != WireError.None || opcode != 0)
        {
            response.Clear();
            query.Slice(0, 2).CopyTo(response);
            response[2] = (byte)(0x80 | (query[2] & 0x79));
            response[3] = (byte)(err == WireError.None ? Rcode.NotImp : Rcode.FormErr);
            if (err != WireError.None) return 12;
            response[5] = 1;
            query.Slice(12, nameEnd + 4 - 12).CopyTo(response.Slice(12));
            return nameEnd + 4;
        }
        var sb = new System.Text.StringBuilder();
        int p = 12;
        DnsWireReader.ReadName(query, ref p, sb);
        var result = resolver.Resolve(new DnsQuery(sb.ToString(), (DnsType)qtype, null, (ushort)(query[0] << 8 | query[1]), (query[2] & 1) != 0));
        outcome = result.Outcome;
        upstreams = result.Upstreams;
        var bytes = DnsWireWriter.Encode(result.Response);
        if (bytes.Length > response.Length)
        {
            bytes.AsSpan(0, nameEnd + 4).CopyTo(response);
            response[2] |= 0x02;
            response.Slice(6, 6).Clear();
            return nameEnd + 4;
        }
        bytes.CopyTo(response);
        return bytes.Length;
    }
}
