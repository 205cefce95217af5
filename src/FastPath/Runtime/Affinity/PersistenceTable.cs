using System;
using System.Numerics;
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

    private readonly Shard[] _shards;
    private readonly int _shardMask;
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
        for (int i = 0; i < shards; i++) _shards[i] = new Shard(perShard);
        _shardMask = shards - 1;
        _slotMask = perShard - 1;
        Capacity = shards * perShard;
    }

    public int Capacity { get; }
    public long Evictions => Interlocked.Read(ref _evictions);
    public TimeProvider Time => _time;

    // The system clock is read coarsely (milliseconds, a few nanoseconds): expiry works in seconds. An injected clock
    // (FakeTimeProvider in tests) is asked directly.
    private long Now => ReferenceEquals(_time, TimeProvider.System) ? Environment.TickCount64 : _time.GetTimestamp();
    private long TimeoutTicks(int seconds) => seconds * (ReferenceEquals(_time, TimeProvider.System) ? 1000L : _time.TimestampFrequency);

    /// <summary>
    /// The endpoint a live template names for the key, re-armed to the full timeout (a new connection uses it);
    /// -1 when there is none or it has expired.
    /// </summary>
    public int Lookup(in PersistenceKey key, int timeoutSeconds)
    {
        ulong hash = key.Hash;
        var shard = _shards[(int)(hash >> 40) & _shardMask];
        long now = Now;
        ulong tag = hash | 1;
        var slots = shard.Slots;
        int start = (int)hash & _slotMask;
        // Lock-free read: writers clear a slot's tag before they change it and set it last, so a tag read the same
        // before and after the fields means the fields belong to it. The refresh of the expiry is a single write; racing
        // a writer that reuses the slot it can only move that new entry's expiry to about the same time.
        for (int i = 0; i < ProbeWindow; i++)
        {
            ref var s = ref slots[(start + i) & _slotMask];
            if (Volatile.Read(ref s.Tag) != tag) continue;
            bool same = s.Key.Equals(key);
            int endpoint = s.Endpoint;
            long expires = Volatile.Read(ref s.Expires);
            int controlled = Volatile.Read(ref s.Controlled);
            if (Volatile.Read(ref s.Tag) != tag) break; // changed under us: take the lock
            if (!same) continue;
            if (expires <= now && controlled == 0) break; // expired: reclaimed under the lock
            Volatile.Write(ref s.Expires, now + TimeoutTicks(timeoutSeconds));
            return endpoint;
        }
        shard.Enter();
        try
        {
            for (int i = 0; i < ProbeWindow; i++)
            {
                ref var s = ref slots[(start + i) & _slotMask];
                if (s.Tag != tag || !s.Key.Equals(key)) continue;
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
        ulong hash = key.Hash;
        var shard = _shards[(int)(hash >> 40) & _shardMask];
        long now = Now;
        ulong tag = hash | 1;
        shard.Enter();
        try
        {
            var slots = shard.Slots;
            int start = (int)hash & _slotMask;
            int free = -1, victim = -1;
            long victimExpires = long.MaxValue;
            for (int i = 0; i < ProbeWindow; i++)
            {
                int idx = (start + i) & _slotMask;
                ref var s = ref slots[idx];
                if (s.Tag == tag && s.Key.Equals(key))
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
            ref var slot = ref slots[at];
            Volatile.Write(ref slot.Tag, 0); // readers skip the slot while it changes
            slot.Key = key;
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
        ulong hash = key.Hash;
        var shard = _shards[(int)(hash >> 40) & _shardMask];
        ulong tag = hash | 1;
        shard.Enter();
        try
        {
            var slots = shard.Slots;
            int start = (int)hash & _slotMask;
            for (int i = 0; i < ProbeWindow; i++)
            {
                ref var s = ref slots[(start + i) & _slotMask];
                if (s.Tag == tag && s.Key.Equals(key)) return action(ref s, argument);
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
        foreach (var shard in _shards)
        {
            shard.Enter();
            try
            {
                foreach (ref readonly var s in shard.Slots.AsSpan())
                    if (s.Tag != 0 && (s.Expires > now || s.Controlled > 0)) n++;
            }
            finally { shard.Exit(); }
        }
        return n;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Slot
    {
        public ulong Tag; // 0 = empty; else the key's hash with the low bit set
        public PersistenceKey Key;
        public long Expires;
        public int Endpoint;
        public int Controlled;
    }

    private sealed class Shard(int size)
    {
        public readonly Slot[] Slots = new Slot[size];
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
