using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Model.Corefile.Plugins;

namespace FastPath.Server;

/// <summary>
/// The cache plugin for forwarded answers (plugin/cache): keyed by lower-cased name, type and class; a reply's TTL is
/// its smallest record TTL clamped to [min, cap] (3600 s success, 1800 s denial, 5 s minimum); served copies carry
/// the TTL counting down and the asker's ID. Truncated replies and NXDOMAIN without an SOA are not cached; SERVFAIL
/// for 5 s. Cluster names are not cached: the compiled engine answers them faster than a cache could.
/// </summary>
internal sealed class ResponseCache(CacheOptions options, TimeProvider time)
{
    private sealed record Entry(byte[] Reply, long Stored, int Ttl);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private static string? Key(ReadOnlySpan<byte> query)
    {
        if (DnsWireReader.ReadQuestion(query, out int end, out ushort type, out ushort cls) != WireError.None) return null;
        var sb = new StringBuilder();
        int p = 12;
        DnsWireReader.ReadName(query, ref p, sb);
        return sb.ToString().ToLowerInvariant() + "|" + type + "|" + cls;
    }

    public byte[]? Get(ReadOnlySpan<byte> query)
    {
        var key = Key(query);
        if (key is null || !_entries.TryGetValue(key, out var e)) return null;
        int age = (int)((time.GetTimestamp() - e.Stored) / time.TimestampFrequency);
        if (age >= e.Ttl) { _entries.TryRemove(key, out _); return null; }
        var reply = (byte[])e.Reply.Clone();
        reply[0] = query[0]; reply[1] = query[1];
        reply[2] |= 0x04; // cached replies are authoritative in CoreDNS
        SetTtls(reply, e.Ttl - age);
        return reply;
    }

    public void Put(ReadOnlySpan<byte> query, byte[] reply)
    {
        if (_entries.Count >= options.SuccessCapacity + options.DenialCapacity) return;
        var key = Key(query);
        var m = DnsWireReader.ReadMessage(reply);
        if (key is null || m is null || m.Truncated) return;
        int ttl;
        if (m.Rcode == Rcode.ServFail) ttl = options.ServfailTtl;
        else
        {
            bool denial = m.Rcode == Rcode.NXDomain || m.Answer.Count == 0;
            if (m.Rcode == Rcode.NXDomain && !m.Authority.Exists(r => r.Type == DnsType.SOA)) return;
            uint min = uint.MaxValue;
            foreach (var r in m.Answer) min = Math.Min(min, r.Ttl);
            foreach (var r in m.Authority) min = Math.Min(min, r.Ttl);
            if (min == uint.MaxValue) min = 0;
            int cap = denial ? options.DenialTtl : options.SuccessTtl, floor = denial ? options.DenialMinTtl : options.SuccessMinTtl;
            ttl = (int)Math.Clamp(min, (uint)floor, (uint)Math.Max(floor, cap));
        }
        if (ttl <= 0) return;
        var copy = (byte[])reply.Clone();
        SetTtls(copy, ttl);
        _entries[key] = new Entry(copy, time.GetTimestamp(), ttl);
    }

    /// <summary>Rewrites every record's TTL (OPT excepted), as the cache plugin does.</summary>
    private static void SetTtls(byte[] reply, int ttl)
    {
        int qd = BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(4));
        int rr = BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(6)) + BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(8)) + BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(10));
        int p = 12;
        var sb = new StringBuilder();
        for (int i = 0; i < qd; i++) { sb.Clear(); if (DnsWireReader.ReadName(reply, ref p, sb) != WireError.None) return; p += 4; }
        for (int i = 0; i < rr; i++)
        {
            sb.Clear();
            if (DnsWireReader.ReadName(reply, ref p, sb) != WireError.None || p + 10 > reply.Length) return;
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(p));
            if (type != (ushort)DnsType.OPT) BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(p + 4), (uint)ttl);
            p += 10 + BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(p + 8));
        }
    }
}
