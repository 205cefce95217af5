using System;
using System.Buffers.Binary;
using System.Net;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Model.Corefile.Plugins;
using FastPath.Model.Net;
using FastPath.Reference.Dns;

namespace FastPath.Compiled;

public sealed partial class CompiledDns
{
    /// <summary>
    /// Pod names by rule: <c>[x. | p.q.]podname.ns.pod.zone</c>, the namespace exposed (its <c>ns.pod.zone</c> is planned),
    /// in verified mode the pod itself planned. The pod name is the IP with dashes. Returns -1 when the rule does not apply.
    /// </summary>
    private int PodAnswer(ReadOnlySpan<byte> query, Span<byte> response, int nameEnd, ReadOnlySpan<byte> qname, CompiledZone z, DnsType qtype)
    {
        // Label starts, left to right.
        Span<int> starts = stackalloc int[128];
        int n = 0, p = 0;
        while (qname[p] != 0) { starts[n++] = p; p += qname[p] + 1; }
        int zoneStart = qname.Length - z.Wire.Length;
        int k = 0;
        while (k < n && starts[k] < zoneStart) k++; // k labels before the zone
        if (k < 3 || k > 5) return -1;
        int podLabel = k - 3, nsLabel = k - 2, kindLabel = k - 1;
        var kind = qname.Slice(starts[kindLabel] + 1, qname[starts[kindLabel]]);
        if (!System.Text.Ascii.EqualsIgnoreCase(kind, "pod"u8)) return -1;
        if (FindEntry(qname.Slice(starts[nsLabel])) < 0) return -1; // namespace not exposed: the ordinary NXDOMAIN
        if (_d.PodMode == PodMode.Verified && FindEntry(qname.Slice(starts[podLabel])) < 0) return -1; // verified: the pod must exist
        var label = qname.Slice(starts[podLabel] + 1, qname[starts[podLabel]]);
        Span<byte> addr = stackalloc byte[16];
        int family = ParsePodIp(label, addr);
        if (family == 0) return -1;
        int w = Header(query, response, Rcode.NoError, true, nameEnd + 4);
        bool v6 = family == 6;
        if ((qtype == DnsType.A && !v6) || (qtype == DnsType.AAAA && v6))
        {
            SetCounts(response, 1, 0, 0);
            return WriteAddress(response, w, 0xC00C, z.Minimum, addr.Slice(0, v6 ? 16 : 4));
        }
        if (qtype == DnsType.SRV)
        {
            // SRV 0 100 0 podname.ns.pod.<zone>, and its address in the additional section.
            SetCounts(response, 1, 0, 1);
            BinaryPrimitives.WriteUInt16BigEndian(response.Slice(w), 0xC00C); w += 2;
            BinaryPrimitives.WriteUInt16BigEndian(response.Slice(w), (ushort)DnsType.SRV); w += 2;
            BinaryPrimitives.WriteUInt16BigEndian(response.Slice(w), 1); w += 2;
            BinaryPrimitives.WriteUInt32BigEndian(response.Slice(w), z.Minimum); w += 4;
            int rdlenAt = w; w += 2;
            BinaryPrimitives.WriteUInt16BigEndian(response.Slice(w), 0);
            BinaryPrimitives.WriteUInt16BigEndian(response.Slice(w + 2), 100);
            BinaryPrimitives.WriteUInt16BigEndian(response.Slice(w + 4), 0);
            w += 6;
            int target = w;
            for (int i = podLabel; i <= kindLabel; i++)
            {
                int len = qname[starts[i]];
                response[w++] = (byte)len;
                for (int j = 0; j < len; j++) response[w++] = ToLower(qname[starts[i] + 1 + j]);
            }
            BinaryPrimitives.WriteUInt16BigEndian(response.Slice(w), (ushort)(0xC000 | (12 + zoneStart))); w += 2;
            BinaryPrimitives.WriteUInt16BigEndian(response.Slice(rdlenAt), (ushort)(w - rdlenAt - 2));
            return WriteAddress(response, w, 0xC000 | target, z.Minimum, addr.Slice(0, v6 ? 16 : 4));
        }
        // Any other type on an existing pod name: NODATA.
        SetCounts(response, 0, 1, 0);
        return WriteSoa(response, w, 0xC000 | (12 + zoneStart), z);
    }

    private static byte ToLower(byte b) => b >= 'A' && b <= 'Z' ? (byte)(b | 0x20) : b;

    private static int WriteAddress(Span<byte> r, int w, int ownerPtr, uint ttl, ReadOnlySpan<byte> addr)
    {
        BinaryPrimitives.WriteUInt16BigEndian(r.Slice(w), (ushort)ownerPtr); w += 2;
        BinaryPrimitives.WriteUInt16BigEndian(r.Slice(w), (ushort)(addr.Length == 4 ? DnsType.A : DnsType.AAAA)); w += 2;
        BinaryPrimitives.WriteUInt16BigEndian(r.Slice(w), 1); w += 2;
        BinaryPrimitives.WriteUInt32BigEndian(r.Slice(w), ttl); w += 4;
        BinaryPrimitives.WriteUInt16BigEndian(r.Slice(w), (ushort)addr.Length); w += 2;
        addr.CopyTo(r.Slice(w));
        return w + addr.Length;
    }

    /// <summary>
    /// The pod name as an IP: three dashes and no "--" make IPv4 (dots), anything else IPv6 (colons), parsed as strictly
    /// as Go's net.ParseIP. Returns 4 or 6, or 0 when it is not an address.
    /// </summary>
    private static int ParsePodIp(ReadOnlySpan<byte> label, Span<byte> addr)
    {
        int dashes = 0;
        bool doubled = false;
        for (int i = 0; i < label.Length; i++)
            if (label[i] == '-') { dashes++; if (i > 0 && label[i - 1] == '-') doubled = true; }
        if (dashes == 3 && !doubled)
        {
            int part = 0, value = 0, digits = 0;
            for (int i = 0; i <= label.Length; i++)
            {
                if (i == label.Length || label[i] == '-')
                {
                    if (digits == 0) return 0;
                    addr[part++] = (byte)value;
                    value = 0; digits = 0;
                    continue;
                }
                byte c = label[i];
                if (c < '0' || c > '9' || (digits == 1 && value == 0) || digits == 3) return 0; // no leading zeros, as Go
                value = value * 10 + (c - '0');
                if (value > 255) return 0;
                digits++;
            }
            return part == 4 ? 4 : 0;
        }
        // IPv6 pod names are rare: parsed through IPAddress, which allocates.
        Span<char> text = stackalloc char[label.Length];
        for (int i = 0; i < label.Length; i++) text[i] = label[i] == '-' ? ':' : (char)label[i];
        if (!IpText.TryParse(text.ToString(), out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return 0;
        ip.TryWriteBytes(addr, out _);
        return 6;
    }
}
