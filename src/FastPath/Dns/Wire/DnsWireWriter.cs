using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;

namespace FastPath.Dns.Wire;

/// <summary>
/// Writes DNS messages in wire format with name compression (RFC 1035 §4.1.4), for the reference engine's
/// responses and for test clients. The compiled engine copies precomputed bytes instead.
/// </summary>
public sealed class DnsWireWriter
{
    private readonly byte[] _buf;
    private int _pos;
    private readonly Dictionary<string, int> _names = new(StringComparer.OrdinalIgnoreCase);

    public DnsWireWriter(int capacity = 65535) { _buf = new byte[capacity]; }

    public ReadOnlySpan<byte> Written => _buf.AsSpan(0, _pos);

    /// <summary>Encodes a message; false when it does not fit (the caller sets TC and retries with less).</summary>
    public static byte[] Encode(DnsMessage m)
    {
        var w = new DnsWireWriter();
        w.WriteMessage(m);
        return w.Written.ToArray();
    }

    public void WriteMessage(DnsMessage m)
    {
        _pos = 0;
        _names.Clear();
        U16(m.Id);
        ushort flags = (ushort)(((int)m.Opcode & 0xF) << 11 | ((int)m.Rcode & 0xF));
        if (m.IsResponse) flags |= 0x8000;
        if (m.Authoritative) flags |= 0x0400;
        if (m.Truncated) flags |= 0x0200;
        if (m.RecursionDesired) flags |= 0x0100;
        if (m.RecursionAvailable) flags |= 0x0080;
        U16(flags);
        U16(1); U16((ushort)m.Answer.Count); U16((ushort)m.Authority.Count); U16((ushort)m.Additional.Count);
        // The question is written as given (uncompressed), so it keeps the asker's case.
        Name(m.Question.Name, compress: false);
        U16((ushort)m.Question.Type); U16((ushort)m.Question.Class);
        foreach (var r in m.Answer) Record(r);
        foreach (var r in m.Authority) Record(r);
        foreach (var r in m.Additional) Record(r);
    }

    /// <summary>A query with one question, RD set: for tests and clients.</summary>
    public static byte[] Query(ushort id, string name, DnsType type, bool recursionDesired = true)
    {
        var w = new DnsWireWriter(512);
        w.U16(id); w.U16(recursionDesired ? (ushort)0x0100 : (ushort)0); w.U16(1); w.U16(0); w.U16(0); w.U16(0);
        w.Name(DnsNaming.Fqdn(name), compress: false);
        w.U16((ushort)type); w.U16((ushort)DnsClass.IN);
        return w.Written.ToArray();
    }

    private void Record(DnsRecord r)
    {
        Name(r.Name, compress: true);
        U16((ushort)r.Type); U16((ushort)r.Class); U32(r.Ttl);
        int lenAt = _pos;
        U16(0);
        switch (r.Data)
        {
            case AddressData a: a.Address.TryWriteBytes(_buf.AsSpan(_pos), out int n); _pos += n; break;
            case NameData nd: Name(nd.Target, compress: true); break;
            case SrvData s: U16(s.Priority); U16(s.Weight); U16(s.Port); Name(s.Target, compress: true); break;
            case SoaData soa:
                Name(soa.MName, compress: true); Name(soa.RName, compress: true);
                U32(soa.Serial); U32(soa.Refresh); U32(soa.Retry); U32(soa.Expire); U32(soa.Minimum);
                break;
            case TxtData t:
                foreach (var s in t.Strings) { var b = Encoding.ASCII.GetBytes(s); _buf[_pos++] = (byte)b.Length; b.CopyTo(_buf, _pos); _pos += b.Length; }
                break;
            case OpaqueData o: o.Bytes.CopyTo(_buf, _pos); _pos += o.Bytes.Length; break;
        }
        BinaryPrimitives.WriteUInt16BigEndian(_buf.AsSpan(lenAt), (ushort)(_pos - lenAt - 2));
    }

    /// <summary>Writes a dotted name; with compression, a suffix already written becomes a pointer.</summary>
    private void Name(string name, bool compress)
    {
        if (name == "." || name.Length == 0) { _buf[_pos++] = 0; return; }
        var labels = Labels(name);
        for (int i = 0; i < labels.Count; i++)
        {
            var suffix = Suffix(labels, i);
            if (compress && _names.TryGetValue(suffix, out int at) && CaseEqual(suffix, at))
            {
                U16((ushort)(0xC000 | at));
                return;
            }
            if (_pos < 0x3FFF && !_names.ContainsKey(suffix)) _names[suffix] = _pos;
            var bytes = labels[i].Wire;
            _buf[_pos++] = (byte)bytes.Length;
            bytes.CopyTo(_buf, _pos);
            _pos += bytes.Length;
        }
        _buf[_pos++] = 0;
    }

    private static string Suffix(List<(string Text, byte[] Wire)> labels, int from)
    {
        var sb = new StringBuilder();
        for (int i = from; i < labels.Count; i++) { if (i > from) sb.Append('.'); sb.Append(labels[i].Text); }
        return sb.ToString();
    }

    /// <summary>
    /// Splits a name in presentation format into labels, undoing the escapes <see cref="DnsWireReader.ReadName"/> writes
    /// (RFC 1035 §5.1): <c>\.</c> and <c>\</c> are literal, <c>\DDD</c> is the octet DDD. So a question read from the
    /// wire is written back exactly as it was asked, whatever octets its labels hold.
    /// </summary>
    private static List<(string Text, byte[] Wire)> Labels(string name)
    {
        var labels = new List<(string, byte[])>();
        var wire = new List<byte>();
        int start = 0;
        for (int i = 0; i <= name.Length; i++)
        {
            if (i == name.Length || name[i] == '.')
            {
                if (i == name.Length && i == start) break; // the root after a final dot
                labels.Add((name.Substring(start, i - start), wire.ToArray()));
                wire.Clear();
                start = i + 1;
                continue;
            }
            char c = name[i];
            if (c == '\\' && i + 3 < name.Length && char.IsAsciiDigit(name[i + 1]) && char.IsAsciiDigit(name[i + 2]) && char.IsAsciiDigit(name[i + 3])
                && (name[i + 1] - '0') * 100 + (name[i + 2] - '0') * 10 + (name[i + 3] - '0') is int octet && octet <= 255)
            {
                wire.Add((byte)octet);
                i += 3;
            }
            else if (c == '\\' && i + 1 < name.Length) wire.Add((byte)name[++i]);
            else wire.Add(c < 128 ? (byte)c : (byte)'?');
        }
        return labels;
    }

    /// <summary>Compression may only reuse a suffix spelled identically: owner names keep their case.</summary>
    private bool CaseEqual(string suffix, int at)
    {
        var sb = new StringBuilder();
        int p = at;
        DnsWireReader.ReadName(_buf.AsSpan(0, _pos), ref p, sb);
        return sb.ToString().TrimEnd('.') == suffix;
    }

    private void U16(ushort v) { BinaryPrimitives.WriteUInt16BigEndian(_buf.AsSpan(_pos), v); _pos += 2; }
    private void U32(uint v) { BinaryPrimitives.WriteUInt32BigEndian(_buf.AsSpan(_pos), v); _pos += 4; }
}
