using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Model.Corefile.Plugins;

namespace FastPath.Server;

/// <summary>
/// The cache plugin for forwarded answers (plugin/cache): keyed by lower-cased name, type and class; a reply's TTL is
/// its smallest record TTL clamped to [min, cap] (3600 s success, 1800 s denial, 5 s minimum); served copies carry
/// the TTL counting down and the asker's ID. Truncated replies and NXDOMAIN without an SOA are not cached; SERVFAIL
/// for 5 s. Cluster names are not cached: the compiled engine answers them faster than a cache could.
/// <para>
/// Memory is bounded as CoreDNS bounds it (plugin/pkg/cache): positive answers and denials (NXDOMAIN, NODATA,
/// SERVFAIL) live in two caches of <see cref="CacheOptions.SuccessCapacity"/> and
/// <see cref="CacheOptions.DenialCapacity"/> entries, each split into 256 shards of max(capacity / 256, 4) entries;
/// a full shard evicts a random entry to admit a new key, as CoreDNS does. So a flood of distinct names holds at most
/// <see cref="MaxEntries"/> replies, and keeps admitting new ones.
/// </para>
/// </summary>
internal sealed class ResponseCache(CacheOptions options, TimeProvider time)
{
    private sealed record Entry(byte[] Reply, long Stored, int Ttl);
    private readonly Shards _success = new(options.SuccessCapacity), _denial = new(options.DenialCapacity);

    /// <summary>The most entries the two caches can hold together.</summary>
    public int MaxEntries => _success.Capacity + _denial.Capacity;
    /// <summary>Entries held now, expired ones not yet met included.</summary>
    public int Count => _success.Count + _denial.Count;
    /// <summary>Entries evicted to make room (coredns_cache_evictions_total).</summary>
    public long Evictions => _success.Evictions + _denial.Evictions;

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
        if (key is null) return null;
        // A name is in one cache or the other; CoreDNS looks at the denial cache first too (cache.go getIfNotStale).
        var from = _denial;
        if (!from.TryGet(key, out var e))
        {
            from = _success;
            if (!from.TryGet(key, out e)) return null;
        }
        int age = (int)((time.GetTimestamp() - e.Stored) / time.TimestampFrequency);
        if (age >= e.Ttl) { from.Remove(key); return null; }
        var reply = (byte[])e.Reply.Clone();
        reply[0] = query[0]; reply[1] = query[1];
        reply[2] |= 0x04; // cached replies are authoritative in CoreDNS
        SetTtls(reply, e.Ttl - age);
        return reply;
    }

    public void Put(ReadOnlySpan<byte> query, byte[] reply)
    {
        var key = Key(query);
        var m = DnsWireReader.ReadMessage(reply);
        if (key is null || m is null || m.Truncated) return;
        int ttl;
        bool denial;
        if (m.Rcode == Rcode.ServFail) { ttl = options.ServfailTtl; denial = true; }
        else
        {
            denial = m.Rcode == Rcode.NXDomain || m.Answer.Count == 0;
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
        (denial ? _success : _denial).Remove(key); // the name changed class: keep one answer per key
        (denial ? _denial : _success).Add(key, new Entry(copy, time.GetTimestamp(), ttl));
    }

    /// <summary>256 dictionaries, each with its own lock and a fixed entry budget (plugin/pkg/cache).</summary>
    private sealed class Shards
    {
        private const int ShardCount = 256;
        private readonly Dictionary<string, Entry>[] _shards = new Dictionary<string, Entry>[ShardCount];
        private readonly int _perShard;
        private long _evictions;

        public Shards(int capacity)
        {
            _perShard = Math.Max(capacity / ShardCount, 4);
            for (int i = 0; i < ShardCount; i++) _shards[i] = new Dictionary<string, Entry>(StringComparer.Ordinal);
        }

        public int Capacity => _perShard * ShardCount;
        public long Evictions => Interlocked.Read(ref _evictions);

        public int Count
        {
            get
            {
                int n = 0;
                foreach (var s in _shards) lock (s) n += s.Count;
                return n;
            }
        }

        private Dictionary<string, Entry> ShardOf(string key) => _shards[StringComparer.Ordinal.GetHashCode(key) & (ShardCount - 1)];

        public bool TryGet(string key, out Entry entry)
        {
            var s = ShardOf(key);
            lock (s) return s.TryGetValue(key, out entry!);
        }

        public void Remove(string key)
        {
            var s = ShardOf(key);
            lock (s) s.Remove(key);
        }

        public void Add(string key, Entry entry)
        {
            var s = ShardOf(key);
            lock (s)
            {
                if (s.Count >= _perShard && !s.ContainsKey(key))
                {
                    // A random victim, not the first enumerated: a Dictionary reuses the freed slot for the next key,
                    // so "evict the first" would evict the newest entry every time and the cache would stop learning.
                    int skip = Random.Shared.Next(s.Count);
                    foreach (var victim in s.Keys)
                    {
                        if (skip-- > 0) continue;
                        s.Remove(victim);
                        break;
                    }
                    Interlocked.Increment(ref _evictions);
                }
                s[key] = entry;
            }
        }
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
