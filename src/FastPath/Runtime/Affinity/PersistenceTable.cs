using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace FastPath.Runtime.Affinity;

/// <summary>
/// IPVS-style persistence templates for <c>sessionAffinity: ClientIP</c>: client → chosen endpoint, with a timeout
/// that every new connection re-arms to the full value (ip_vs_conn_put), kept alive past it while connections it
/// controls are open (expire_later).
/// <para>
/// A fixed capacity over preallocated arrays, split into shards each guarded by a spin lock, so many threads use it
/// at once and nothing is allocated after construction. Expired entries are reclaimed by the operations that meet
/// them: there is no background thread. When a key's probe window is full, the entry nearest to expiry there is
/// evicted (the least recently used, the one IPVS would drop first), and <see cref="Evictions"/> counts it.
/// </para>
/// </summary>
public sealed class PersistenceTable
{
    /// <summary>Slots a key may live in: a short linear probe within its shard.</summary>
    public const int ProbeWindow = 16;

    private readonly SlotArray _slots;
    private readonly Shard[] _shards;
    private readonly int _shardMask;
    private readonly int _shardShift;
    private readonly int _slotMask;
    private readonly TimeProvider _time;
    private long _evictions;

    public PersistenceTable(int capacity, TimeProvider? time = null)
    {
        if (capacity < ProbeWindow) throw new ArgumentOutOfRangeException(nameof(capacity), $"capacity must be at least {ProbeWindow}");
        _time = time ?? TimeProvider.System;
        int shards = (int)Math.Min(BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount * 16), BitOperations.RoundUpToPowerOf2((uint)(capacity / ProbeWindow)));
        shards = Math.Max(1, shards);
        int perShard = (int)BitOperations.RoundUpToPowerOf2((uint)((capacity + shards - 1) / shards));
        perShard = Math.Max(perShard, ProbeWindow);
        _shards = new Shard[shards];
        for (int i = 0; i < shards; i++) _shards[i] = new Shard();
        _shardMask = shards - 1;
        _shardShift = BitOperations.Log2((uint)perShard);
        _slotMask = perShard - 1;
        Capacity = shards * perShard;
        _slots = new SlotArray(Capacity);
    }

    public int Capacity { get; }
    public long Evictions => Interlocked.Read(ref _evictions);
    public TimeProvider Time => _time;

    // The system clock is read coarsely (milliseconds, from a field a timer refreshes: one load, no call): expiry works in
    // seconds. An injected clock (FakeTimeProvider in tests) is asked directly.
    private long Now => ReferenceEquals(_time, TimeProvider.System) ? CoarseClock.System.Now : _time.GetTimestamp();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // on a template hit, which a miss-heavy early profile marks cold
    private long TimeoutTicks(int seconds) => seconds * (ReferenceEquals(_time, TimeProvider.System) ? 1000L : _time.TimestampFrequency);

    /// <summary>
    /// Where a key lives: its shard's first slot (returned), the shard, the start of its probe window within the shard,
    /// and the tag its slot carries (the hash with the low bit set, so 0 stays "empty").
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Slot Locate(in PersistenceKey key, out int shardIndex, out int start, out ulong tag) => ref Locate(key.Hash, out shardIndex, out start, out tag);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Slot Locate(ulong hash, out int shardIndex, out int start, out ulong tag)
    {
        shardIndex = (int)(hash >> 40) & _shardMask;
        start = (int)hash & _slotMask;
        tag = hash | 1;
        return ref _slots.Shard(shardIndex << _shardShift);
    }

    /// <summary>
    /// The endpoint a live template names for the key, re-armed to the full timeout (a new connection uses it);
    /// -1 when there is none or it has expired.
    /// </summary>
    public int Lookup(in PersistenceKey key, int timeoutSeconds) => Probe(key, timeoutSeconds);

    /// <summary>
    /// <see cref="Lookup(in PersistenceKey, int)"/> for a virtual service's selector (<see cref="AffinitySettings.Lookup"/>):
    /// the service's share of the hash computed once, and its parts read where they are compared rather than passed in,
    /// which kept them in registers or on the stack through the whole lookup.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int Lookup(AffinitySettings service, UInt128 client)
    {
        int endpoint = LookupFirstSlot(service, client);
        return endpoint >= 0 ? endpoint : Probe(new PersistenceKey(service.ServiceAddress, service.Port, service.Protocol, client), service.TimeoutSeconds);
    }

    /// <summary>
    /// A sparse table keeps nearly every template in its key's first probe slot: that hit is checked inline in the
    /// caller, exactly as <see cref="Probe"/> would at its first slot. -1 for anything else (another slot, a slot
    /// changing under us, an expired template): the caller takes the whole probe, from the first slot.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int LookupFirstSlot(AffinitySettings service, UInt128 client)
    {
        ref Slot s = ref Unsafe.Add(ref Locate(PersistenceKey.HashOf(client, service.ServiceHash), out _, out int start, out ulong tag), start);
        long now = Now;
        if (Volatile.Read(ref s.Tag) != tag) return -1;
        bool same = s.Key.Equals(service.ServiceAddress, service.Port, service.Protocol, client);
        int endpoint = s.Endpoint;
        long expires = Volatile.Read(ref s.Expires);
        int controlled = Volatile.Read(ref s.Controlled);
        if (!same || Volatile.Read(ref s.Tag) != tag || (expires <= now && controlled == 0)) return -1;
        Rearm(ref s, expires, now, service.TimeoutSeconds);
        return endpoint;
    }

    /// <summary>
    /// Re-arms a template to the full timeout. The store is skipped when the expiry would not change (the clock has not
    /// ticked since the last use): the same value, and the slot's line is not dirtied for it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Rearm(ref Slot s, long expires, long now, int timeoutSeconds)
    {
        long rearmed = now + TimeoutTicks(timeoutSeconds);
        if (rearmed != expires) Volatile.Write(ref s.Expires, rearmed);
    }

    /// <summary><see cref="Lookup"/> over the whole probe window, then under the shard's lock.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int Probe(in PersistenceKey key, int timeoutSeconds)
    {
        ref Slot slots = ref Locate(key, out int shardIndex, out int start, out ulong tag);
        var k = new PackedKey(key);
        long now = Now;
        // Lock-free read: writers clear a slot's tag before they change it and set it last, so a tag read the same
        // before and after the fields means the fields belong to it. The refresh of the expiry is a single write; racing
        // a writer that reuses the slot it can only move that new entry's expiry to about the same time.
        for (int i = 0; i < ProbeWindow; i++)
        {
            ref var s = ref Unsafe.Add(ref slots, (start + i) & _slotMask);
            if (Volatile.Read(ref s.Tag) != tag) continue;
            bool same = s.Key.Equals(k);
            int endpoint = s.Endpoint;
            long expires = Volatile.Read(ref s.Expires);
            int controlled = Volatile.Read(ref s.Controlled);
            if (Volatile.Read(ref s.Tag) != tag) break; // changed under us: take the lock
            if (!same) continue;
            if (expires <= now && controlled == 0) break; // expired: reclaimed under the lock
            Rearm(ref s, expires, now, timeoutSeconds);
            return endpoint;
        }
        var shard = _shards[shardIndex];
        shard.Enter();
        try
        {
            for (int i = 0; i < ProbeWindow; i++)
            {
                ref var s = ref Unsafe.Add(ref slots, (start + i) & _slotMask);
                if (s.Tag != tag || !s.Key.Equals(k)) continue;
                if (s.Expires <= now && s.Controlled == 0) { Volatile.Write(ref s.Tag, 0); return -1; }
                s.Expires = now + TimeoutTicks(timeoutSeconds);
                return s.Endpoint;
            }
            return -1;
        }
        finally { shard.Exit(); }
    }

    /// <summary>Creates or replaces the template for the key.</summary>
    public void Set(in PersistenceKey key, int endpoint, int timeoutSeconds)
    {
        ref Slot slots = ref Locate(key, out int shardIndex, out int start, out ulong tag);
        var k = new PackedKey(key);
        var shard = _shards[shardIndex];
        long now = Now;
        shard.Enter();
        try
        {
            int free = -1, victim = -1;
            long victimExpires = long.MaxValue;
            for (int i = 0; i < ProbeWindow; i++)
            {
                int idx = (start + i) & _slotMask;
                ref var s = ref Unsafe.Add(ref slots, idx);
                if (s.Tag == tag && s.Key.Equals(k))
                {
                    Volatile.Write(ref s.Tag, 0);
                    s.Endpoint = endpoint;
                    s.Expires = now + TimeoutTicks(timeoutSeconds);
                    Volatile.Write(ref s.Tag, tag);
                    return;
                }
                bool dead = s.Tag == 0 || (s.Expires <= now && s.Controlled == 0);
                if (dead) { if (free < 0) free = idx; continue; }
                // Prefer to evict templates that control no open connection.
                long rank = s.Controlled == 0 ? s.Expires : s.Expires + (long.MaxValue / 2);
                if (rank < victimExpires) { victimExpires = rank; victim = idx; }
            }
            int at = free;
            if (at < 0) { at = victim; Interlocked.Increment(ref _evictions); }
            ref var slot = ref Unsafe.Add(ref slots, at);
            Volatile.Write(ref slot.Tag, 0); // readers skip the slot while it changes
            slot.Key = k;
            slot.Endpoint = endpoint;
            slot.Controlled = 0;
            slot.Expires = now + TimeoutTicks(timeoutSeconds);
            Volatile.Write(ref slot.Tag, tag);
        }
        finally { shard.Exit(); }
    }

    /// <summary>A connection controlled by the template opened (+1) or closed (-1); open ones keep it alive past its timeout.</summary>
    public void Control(in PersistenceKey key, int delta) =>
        Locked(key, delta, static (ref Slot s, int d) => { s.Controlled = Math.Max(0, s.Controlled + d); return true; });

    public bool Remove(in PersistenceKey key) =>
        Locked(key, 0, static (ref Slot s, int _) => { Volatile.Write(ref s.Tag, 0); return true; });

    private delegate bool SlotAction(ref Slot slot, int argument);

    /// <summary>Runs <paramref name="action"/> on the key's slot under its shard's lock; false when the key has no slot.</summary>
    private bool Locked(in PersistenceKey key, int argument, SlotAction action)
    {
        ref Slot slots = ref Locate(key, out int shardIndex, out int start, out ulong tag);
        var k = new PackedKey(key);
        var shard = _shards[shardIndex];
        shard.Enter();
        try
        {
            for (int i = 0; i < ProbeWindow; i++)
            {
                ref var s = ref Unsafe.Add(ref slots, (start + i) & _slotMask);
                if (s.Tag == tag && s.Key.Equals(k)) return action(ref s, argument);
            }
            return false;
        }
        finally { shard.Exit(); }
    }

    /// <summary>Live templates now (walks the table: for tests and metrics, not for a hot path).</summary>
    public int CountLive()
    {
        long now = Now;
        int n = 0;
        for (int shardIndex = 0; shardIndex < _shards.Length; shardIndex++)
        {
            var shard = _shards[shardIndex];
            ref Slot slots = ref _slots.Shard(shardIndex << _shardShift);
            shard.Enter();
            try
            {
                for (int i = 0; i <= _slotMask; i++)
                {
                    ref var s = ref Unsafe.Add(ref slots, i);
                    if (s.Tag != 0 && (s.Expires > now || s.Controlled > 0)) n++;
                }
            }
            finally { shard.Exit(); }
        }
        return n;
    }

    /// <summary>The key as four 64-bit halves and the port and protocol in one word: 36 bytes with no padding.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private readonly struct PackedKey
    {
        private readonly ulong _client0, _client1, _service0, _service1;
        private readonly uint _portProtocol;

        public PackedKey(in PersistenceKey key)
        {
            _client0 = (ulong)key.Client; _client1 = (ulong)(key.Client >> 64);
            _service0 = (ulong)key.Service; _service1 = (ulong)(key.Service >> 64);
            _portProtocol = ((uint)key.Port << 8) | key.Protocol;
        }

        public bool Equals(in PackedKey o) =>
            _client0 == o._client0 && _client1 == o._client1 && _service0 == o._service0 && _service1 == o._service1 && _portProtocol == o._portProtocol;

        /// <summary><see cref="Equals(in PackedKey)"/> against a key in its parts, as <see cref="PackedKey(in PersistenceKey)"/> would pack it.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)] // on a template hit, which a miss-heavy early profile marks cold
        public bool Equals(UInt128 service, ushort port, byte protocol, UInt128 client) =>
            _client0 == (ulong)client && _client1 == (ulong)(client >> 64) && _service0 == (ulong)service && _service1 == (ulong)(service >> 64)
            && _portProtocol == (((uint)port << 8) | protocol);
    }

    /// <summary>One template in exactly one 64-byte cache line (the table aligns slot 0 to a line): a probe touches one line.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    private struct Slot
    {
        [FieldOffset(0)] public ulong Tag; // 0 = empty; else the key's hash with the low bit set
        [FieldOffset(8)] public PackedKey Key;
        [FieldOffset(44)] public int Endpoint;
        [FieldOffset(48)] public long Expires;
        [FieldOffset(56)] public int Controlled;
    }

    /// <summary>
    /// Every shard's slots in one pinned array whose usable part starts on a cache-line boundary (the array's data
    /// begins 16 bytes into the object): an 80-byte slot straddled two lines on most probes, a cache miss more per hit.
    /// </summary>
    private sealed class SlotArray
    {
        private const int Line = 64;
        private readonly Slot[] _storage;
        private readonly nint _skip; // bytes from the array's data to the first line boundary

        public SlotArray(int count)
        {
            _storage = GC.AllocateArray<Slot>(count + 1, pinned: true);
            nint address = Marshal.UnsafeAddrOfPinnedArrayElement(_storage, 0);
            _skip = (Line - (address & (Line - 1))) & (Line - 1);
        }

        /// <summary>The first slot of the shard that starts at slot <paramref name="first"/>.</summary>
        public ref Slot Shard(int first) =>
            ref Unsafe.Add(ref Unsafe.As<byte, Slot>(ref Unsafe.AddByteOffset(ref Unsafe.As<Slot, byte>(ref MemoryMarshal.GetArrayDataReference(_storage)), _skip)), first);
    }

    private sealed class Shard
    {
        private int _lock;

        public void Enter()
        {
            if (Interlocked.CompareExchange(ref _lock, 1, 0) == 0) return;
            var spin = new SpinWait();
            while (Interlocked.CompareExchange(ref _lock, 1, 0) != 0) spin.SpinOnce();
        }

        public void Exit() => Volatile.Write(ref _lock, 0);
    }
}
