using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Net;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Model.Planning;

namespace FastPath.Compiled.Plugins;

/// <summary>
/// The hosts plugin compiled (plugin/hosts/hosts.go ServeDNS): A and AAAA from a name's addresses, PTR from an
/// address's names, owners lower-cased as the plugin writes them; a name it does not hold is passed on under
/// <c>fallthrough</c> and answered SERVFAIL otherwise; a PTR it cannot answer is always passed on.
/// </summary>
internal sealed class HostsTable
{
    private readonly byte[][] _zones;
    private readonly byte[][]? _fallthrough;
    /// <summary>Whether <c>fallthrough</c> names the root (or no zone): every name the plugin does not hold is passed on.</summary>
    private readonly bool _passesUnheld;
    private readonly uint _ttl;
    private readonly bool _noReverse;
    private readonly ByteKeyTable _names;
    private readonly byte[][][] _v4, _v6;
    private readonly ByteKeyTable _addresses;
    private readonly byte[][][] _ptr;

    public HostsTable(HostsPlan plan)
    {
        _zones = Wire(plan.Zones);
        _fallthrough = plan.Fallthrough is null ? null : plan.Fallthrough.Count == 0 ? [[0]] : Wire(plan.Fallthrough);
        _passesUnheld = _fallthrough is not null && Array.Exists(_fallthrough, z => z.Length == 1);
        _ttl = plan.Ttl;
        _noReverse = plan.NoReverse;
        var names = new List<byte[]>();
        _v4 = new byte[plan.Names.Count][][];
        _v6 = new byte[plan.Names.Count][][];
        for (int i = 0; i < plan.Names.Count; i++)
        {
            names.Add(WireNames.Of(plan.Names[i].Name));
            var v4 = new List<byte[]>();
            var v6 = new List<byte[]>();
            foreach (var a in plan.Names[i].Addresses)
            {
                var bytes = IPAddress.Parse(a).GetAddressBytes();
                (bytes.Length == 4 ? v4 : v6).Add(bytes);
            }
            _v4[i] = v4.ToArray();
            _v6[i] = v6.ToArray();
        }
        _names = new ByteKeyTable(names);
        var addresses = new List<byte[]>();
        _ptr = new byte[plan.Addresses.Count][][];
        for (int i = 0; i < plan.Addresses.Count; i++)
        {
            addresses.Add(IPAddress.Parse(plan.Addresses[i].Address).GetAddressBytes());
            _ptr[i] = Wire(plan.Addresses[i].Names);
        }
        _addresses = new ByteKeyTable(addresses);
    }

    private static byte[][] Wire(IReadOnlyList<string> names)
    {
        var result = new byte[names.Count][];
        for (int i = 0; i < names.Count; i++) result[i] = WireNames.Of(names[i]);
        return result;
    }

    /// <summary>
    /// Writes the plugin's response and returns its length, or -1 to pass the query to the next plugin. Addresses
    /// start at <paramref name="rotation"/> modulo their count (loadbalance's rotation; 0 without it).
    /// </summary>
    public int Answer(ReadOnlySpan<byte> query, Span<byte> response, int nameEnd, DnsType qtype, long rotation)
    {
        var qname = query.Slice(12, nameEnd - 12);
        if (qtype != DnsType.PTR && !WireNames.InAny(qname, _zones)) return -1;
        Span<byte> lower = stackalloc byte[WireNames.MaxLength];
        lower = lower.Slice(0, qname.Length);
        int name = FindName(qname, lower, lowerAnyway: qtype == DnsType.PTR);
        byte[][] records = [];
        bool ptr = false;
        switch (qtype)
        {
            case DnsType.PTR:
                int address = _noReverse ? -1 : FindReverse(lower);
                if (address < 0) return -1;
                records = _ptr[address];
                ptr = true;
                break;
            case DnsType.A:
                if (name >= 0) records = _v4[name];
                break;
            case DnsType.AAAA:
                if (name >= 0) records = _v6[name];
                break;
        }
        if (records.Length == 0 && name < 0)
            return _fallthrough is not null && WireNames.InAny(qname, _fallthrough) ? -1
                : DnsResponseHeader.Write(query, response, Rcode.ServFail, authoritative: false, nameEnd + 4);
        int w = DnsResponseHeader.Write(query, response, Rcode.NoError, authoritative: true, nameEnd + 4);
        DnsResponseHeader.SetCounts(response, records.Length, 0, 0);
        // The owner is the lower-cased name: the question itself when it is asked in lower case, else written once.
        int owner = WireNames.HasUpper(qname) ? -1 : 12;
        int first = ptr || records.Length < 2 ? 0 : (int)(rotation % records.Length);
        for (int i = 0; i < records.Length; i++)
        {
            var data = records[(first + i) % records.Length];
            int size = (owner < 0 ? lower.Length : 2) + 10 + data.Length;
            if (w + size > response.Length) return DnsResponseHeader.Truncate(response, nameEnd + 4);
            if (owner < 0) { owner = w; lower.CopyTo(response.Slice(w)); w += lower.Length; }
            else { BinaryPrimitives.WriteUInt16BigEndian(response.Slice(w), (ushort)(0xC000 | owner)); w += 2; }
            BinaryPrimitives.WriteUInt16BigEndian(response.Slice(w), (ushort)(ptr ? DnsType.PTR : data.Length == 4 ? DnsType.A : DnsType.AAAA));
            BinaryPrimitives.WriteUInt16BigEndian(response.Slice(w + 2), 1);
            BinaryPrimitives.WriteUInt32BigEndian(response.Slice(w + 4), _ttl);
            BinaryPrimitives.WriteUInt16BigEndian(response.Slice(w + 8), (ushort)data.Length);
            data.CopyTo(response.Slice(w + 10));
            w += 10 + data.Length;
        }
        return w;
    }

    /// <summary>
    /// Whether <see cref="Answer"/> passes an A, AAAA or other non-PTR query on without writing anything: the name is
    /// outside the plugin's zones, or it holds no entry and falls through. Autopath asks this before trying a name: a
    /// name as long as no entry, under <c>fallthrough</c> for every zone (the usual line), is one test of the length bitmap.
    /// </summary>
    public bool Passes(ReadOnlySpan<byte> qname) => (_passesUnheld && !_names.MayHold(qname.Length)) || PassesLookedUp(qname);

    private bool PassesLookedUp(ReadOnlySpan<byte> qname)
    {
        if (!WireNames.InAny(qname, _zones)) return true;
        Span<byte> lower = stackalloc byte[WireNames.MaxLength];
        return FindName(qname, lower.Slice(0, qname.Length), lowerAnyway: false) < 0 && _fallthrough is not null && WireNames.InAny(qname, _fallthrough);
    }

    /// <summary>
    /// The entry of a name, with the name lower-cased into <paramref name="lower"/>. Only a name as long as some entry's
    /// is lowered and looked up (the rest are misses), unless <paramref name="lowerAnyway"/> (a PTR query reads it).
    /// </summary>
    private int FindName(ReadOnlySpan<byte> qname, Span<byte> lower, bool lowerAnyway)
    {
        bool held = _names.MayHold(qname.Length);
        if (held || lowerAnyway) WireNames.ToLower(qname, lower);
        return held ? _names.Find(lower) : -1;
    }

    /// <summary>
    /// The address a full in-addr.arpa or ip6.arpa name stands for (pkg/dnsutil.ExtractAddressFromReverse: four
    /// decimal octets, leading zeros allowed, or 32 hex nibbles), as an index into the addresses; -1 when it is none.
    /// </summary>
    private int FindReverse(ReadOnlySpan<byte> lower)
    {
        Span<int> starts = stackalloc int[35];
        int n = 0, p = 0;
        while (lower[p] != 0) { if (n == starts.Length) return -1; starts[n++] = p; p += lower[p] + 1; }
        Span<byte> addr = stackalloc byte[16];
        if (n == 6 && Label(lower, starts[4]).SequenceEqual("in-addr"u8) && Label(lower, starts[5]).SequenceEqual("arpa"u8))
        {
            for (int i = 0; i < 4; i++)
            {
                var label = Label(lower, starts[3 - i]);
                int value = 0;
                if (label.Length == 0) return -1;
                foreach (byte c in label)
                {
                    if (c < '0' || c > '9') return -1;
                    value = value * 10 + (c - '0');
                    if (value > 255) return -1;
                }
                addr[i] = (byte)value;
            }
            return _addresses.Find(addr.Slice(0, 4));
        }
        if (n == 34 && Label(lower, starts[32]).SequenceEqual("ip6"u8) && Label(lower, starts[33]).SequenceEqual("arpa"u8))
        {
            for (int i = 0; i < 32; i++)
            {
                var label = Label(lower, starts[31 - i]);
                if (label.Length != 1) return -1;
                int nibble = HexValue(label[0]);
                if (nibble < 0) return -1;
                addr[i / 2] = (byte)(i % 2 == 0 ? nibble << 4 : addr[i / 2] | nibble);
            }
            return _addresses.Find(addr);
        }
        return -1;
    }

    private static ReadOnlySpan<byte> Label(ReadOnlySpan<byte> name, int at) => name.Slice(at + 1, name[at]);

    private static int HexValue(byte c) => c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}
