using System;
using System.Collections.Generic;
using FastPath.Model.Tables;

namespace FastPath.Model.Planning;

/// <summary>
/// A <see cref="PerfectHash"/> that takes single insertions and removals: a new key joins its bucket and the bucket
/// alone searches a new displacement that sends all its keys to free slots (CHD's own step, redone for one bucket).
/// The slot and displacement tables are in <see cref="SegmentedIndex"/>'s chunked byte format; a chunk is copied on the
/// first write after it was published, so a published table is never written again.
/// </summary>
internal sealed class IncrementalPerfectHash
{
    /// <summary>Displacements tried for one bucket before the caller rebuilds the whole table.</summary>
    private const int SearchLimit = 1 << 16;

    private readonly CopyOnWriteChunks _slots, _disp;
    private readonly int _slotMask, _bucketMask;
    // A bucket's keys as a chain through two arrays (bucket → first entry + 1, entry → next entry + 1, 0 ends): a
    // list per bucket cost ~70 bytes per key, kept for as long as the live table lives.
    private readonly int[] _first;
    private int[] _next;
    private readonly List<int> _keys = new();
    private readonly Func<int, ulong> _hashOf, _unitOf;

    /// <param name="hashOf">The hash of an entry (by its current index).</param>
    /// <param name="unitOf">The <see cref="SlotUnit"/> of an entry (by its current index; its row must be written).</param>
    public IncrementalPerfectHash(PerfectHash built, IReadOnlyList<ulong> hashes, Func<int, ulong> hashOf, Func<int, ulong> unitOf)
    {
        var slots = SegmentedIndex.EmptyChunks(built.Slots.Length, SlotUnit.Size);
        SlotUnit.WriteAll(built.Slots, unitOf, SegmentedIndex.UnitAt(slots, SlotUnit.Size));
        _slots = new CopyOnWriteChunks(SlotUnit.Size, slots);
        _disp = new CopyOnWriteChunks(4, SegmentedIndex.Split(built.Displacements));
        _slotMask = built.Slots.Length - 1;
        _bucketMask = built.Displacements.Length - 1;
        _first = new int[built.Displacements.Length];
        _next = new int[Math.Max(16, hashes.Count + hashes.Count / 8)];
        for (int i = hashes.Count - 1; i >= 0; i--) Link(NameHash.Bucket(hashes[i], _bucketMask), i);
        _hashOf = hashOf;
        _unitOf = unitOf;
    }

    public int SlotCount => _slotMask + 1;
    public int BucketCount => _bucketMask + 1;

    /// <summary>The current tables, handed to readers: later changes write copies of the chunks they touch.</summary>
    public (byte[][] Displacements, byte[][] Slots) Publish() => (_disp.Publish(), _slots.Publish());

    private ulong Unit(int s) => System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(_slots.Read(s));

    /// <summary>The slot's entry + 1, 0 when empty.</summary>
    private int SlotValue(int s) => SlotUnit.Entry(Unit(s)) + 1;
    private uint Disp(int b) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(_disp.Read(b));

    /// <summary>Points the slot at entry <paramref name="value"/> - 1 (its key read from its row), or empties it (0).</summary>
    private void SetSlot(int s, int value)
    {
        ulong unit = value == 0 ? 0 : _unitOf(value - 1);
        if (Unit(s) != unit) System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(_slots.Write(s), unit);
    }

    private void SetDisp(int b, uint d)
    {
        if (Disp(b) != d) System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(_disp.Write(b), d);
    }

    /// <summary>Adds entry <paramref name="entry"/> with <paramref name="hash"/>; false when its bucket finds no displacement (rebuild).</summary>
    public bool Insert(int entry, ulong hash)
    {
        int b = NameHash.Bucket(hash, _bucketMask);
        var keys = Members(b);
        keys.Add(entry);
        uint old = Disp(b);
        Span<int> placed = keys.Count <= 64 ? stackalloc int[keys.Count] : new int[keys.Count];
        for (uint d = 0; d < SearchLimit; d++)
        {
            bool ok = true;
            for (int k = 0; k < keys.Count && ok; k++)
            {
                int s = NameHash.Slot(k == keys.Count - 1 ? hash : _hashOf(keys[k]), d, _slotMask);
                int v = SlotValue(s);
                // Free, or held by a key of this bucket under its old displacement (it moves too).
                ok = v == 0 || (keys.Contains(v - 1) && v - 1 != entry && NameHash.Slot(_hashOf(v - 1), old, _slotMask) == s);
                for (int j = 0; j < k && ok; j++) ok = placed[j] != s;
                placed[k] = s;
            }
            if (!ok) continue;
            for (int k = 0; k < keys.Count - 1; k++) SetSlot(NameHash.Slot(_hashOf(keys[k]), old, _slotMask), 0);
            for (int k = 0; k < keys.Count; k++) SetSlot(placed[k], keys[k] + 1);
            SetDisp(b, d);
            Link(b, entry);
            return true;
        }
        return false;
    }

    /// <summary>The entry in the slot <paramref name="hash"/> maps to, or -1 (the caller compares the key: another may be there).</summary>
    public int Find(ulong hash)
    {
        int b = NameHash.Bucket(hash, _bucketMask);
        return SlotValue(NameHash.Slot(hash, Disp(b), _slotMask)) - 1;
    }

    /// <summary>Removes entry <paramref name="entry"/>.</summary>
    public void Remove(int entry, ulong hash)
    {
        int b = NameHash.Bucket(hash, _bucketMask);
        SetSlot(NameHash.Slot(hash, Disp(b), _slotMask), 0);
        Unlink(b, entry, replacement: -1);
    }

    /// <summary>The entry at index <paramref name="from"/> now lives at <paramref name="to"/> (a removal filled the gap).</summary>
    public void Move(int from, int to, ulong hash)
    {
        int b = NameHash.Bucket(hash, _bucketMask);
        SetSlot(NameHash.Slot(hash, Disp(b), _slotMask), to + 1);
        Unlink(b, from, replacement: to);
    }

    /// <summary>The bucket's keys, in a list reused by the next call.</summary>
    private List<int> Members(int b)
    {
        _keys.Clear();
        for (int k = _first[b]; k != 0; k = _next[k - 1]) _keys.Add(k - 1);
        return _keys;
    }

    /// <summary>Puts the entry at the head of the bucket's chain.</summary>
    private void Link(int b, int entry)
    {
        if (entry >= _next.Length) Array.Resize(ref _next, Math.Max(entry + 1, _next.Length * 2));
        _next[entry] = _first[b];
        _first[b] = entry + 1;
    }

    /// <summary>Takes the entry out of the bucket's chain, or puts <paramref name="replacement"/> (when not -1) in its place.</summary>
    private void Unlink(int b, int entry, int replacement)
    {
        int prev = -1;
        for (int k = _first[b]; k != 0; prev = k - 1, k = _next[k - 1])
        {
            if (k - 1 != entry) continue;
            int after = _next[entry];
            int link = after;
            if (replacement >= 0)
            {
                if (replacement >= _next.Length) Array.Resize(ref _next, Math.Max(replacement + 1, _next.Length * 2));
                _next[replacement] = after;
                link = replacement + 1;
            }
            if (prev < 0) _first[b] = link;
            else _next[prev] = link;
            _next[entry] = 0;
            return;
        }
    }
}
