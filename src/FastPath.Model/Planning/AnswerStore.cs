using System;
using System.Buffers.Binary;
using FastPath.Model.Tables;

namespace FastPath.Model.Planning;

/// <summary>
/// Every distinct planned answer, encoded once, in the table format <see cref="CompiledLayout"/> describes (32-byte
/// rows, the sections' bytes, record offsets, fixups), each in one growing buffer. Equal answers (same rcode, counts
/// and bytes) get one id. Append-only: ids and bytes never move, so a live snapshot can keep reading the buffers it
/// was given while later answers are appended past its end.
/// </summary>
public sealed class AnswerStore
{
    /// <summary>An answer's rcode, section counts and rotatable address runs (first, count) in the answer and additional sections.</summary>
    public readonly struct Header(int rcode, int an, int ns, int ar, int af, int ac, int xf, int xc)
    {
        public readonly int Rcode = rcode, An = an, Ns = ns, Ar = ar, Af = af, Ac = ac, Xf = xf, Xc = xc;
    }

    private byte[] _rows, _data, _offsets, _fixups;
    private int _dataLen, _offsetsLen, _fixupsLen;
    // Dedup index, open addressing: slot → id + 1 (0 empty), and each id's hash, so growing rehashes no bytes.
    // A dictionary of hash → first id plus a chain array cost 3× the memory, kept for as long as the live table lives.
    private int[] _slots;
    private uint[] _hashOf;

    public AnswerStore() : this(64, 4096) { }

    /// <summary>A store sized for about <paramref name="answers"/> answers of <paramref name="dataBytes"/> bytes in all (it grows past them).</summary>
    public AnswerStore(int answers, int dataBytes)
    {
        answers = Math.Max(64, answers);
        _rows = Uninitialized<byte>(CompiledLayout.AnswerSize * answers);
        _data = Uninitialized<byte>(Math.Max(4096, dataBytes));
        _offsets = Uninitialized<byte>(answers * 12);
        _fixups = Uninitialized<byte>(Math.Max(1024, answers * 8));
        _hashOf = Uninitialized<uint>(answers);
        _slots = new int[Pow2(answers * 2)];
    }

    /// <summary>
    /// A buffer whose bytes are all written before they are read (rows whole, the others up to their used length):
    /// not zeroed first. A full build sizes them for the whole cluster (tens of MB at 10,000 Services), and zeroing
    /// them touched every page up front, most of it past what the plan uses.
    /// </summary>
    private static T[] Uninitialized<T>(int n) where T : unmanaged
#if NET
        => GC.AllocateUninitializedArray<T>(n);
#else
        => new T[n];
#endif

    private static int Pow2(int v)
    {
        int p = 1;
        while (p < v) p <<= 1;
        return p;
    }

    public int Count { get; private set; }
    /// <summary>Bytes of answer data held (for sizing and compaction decisions).</summary>
    public int DataLength => _dataLen;

    /// <summary>The buffers as they are now: past the used length they hold nothing a reader of these ids needs.</summary>
    public byte[] RowsBuffer => _rows;
    public byte[] DataBuffer => _data;
    public byte[] OffsetsBuffer => _offsets;
    public byte[] FixupsBuffer => _fixups;

    public byte[] Rows() => Copy(_rows, Count * CompiledLayout.AnswerSize);
    public byte[] Data() => Copy(_data, _dataLen);
    public byte[] Offsets() => Copy(_offsets, _offsetsLen);
    public byte[] Fixups() => Copy(_fixups, _fixupsLen);

    private static byte[] Copy(byte[] b, int n)
    {
        var r = Uninitialized<byte>(n);
        Buffer.BlockCopy(b, 0, r, 0, n);
        return r;
    }

    internal int Add(in Header h, ReadOnlySpan<byte> bytes, ReadOnlySpan<int> starts, ReadOnlySpan<int> fixups)
    {
        uint hash = (uint)Hash(h, bytes);
        int mask = _slots.Length - 1, at = (int)(hash & (uint)mask);
        for (int id; (id = _slots[at] - 1) >= 0; at = (at + 1) & mask)
            if (_hashOf[id] == hash && Same(id, h, bytes)) return id;
        int nid = Count;
        if (nid == _hashOf.Length) Grow(ref _hashOf, nid * 2);
        _hashOf[nid] = hash;
        _slots[at] = nid + 1;
        if ((nid + 1) * 2 > _slots.Length) Rehash(_slots.Length * 2, nid + 1);
        Grow(ref _rows, (nid + 1) * CompiledLayout.AnswerSize);
        var row = _rows.AsSpan(nid * CompiledLayout.AnswerSize, CompiledLayout.AnswerSize);
        BinaryPrimitives.WriteInt32LittleEndian(row, _dataLen);
        BinaryPrimitives.WriteUInt16LittleEndian(row.Slice(4), (ushort)bytes.Length);
        row[6] = (byte)h.Rcode;
        row[7] = 1; // authoritative: the kubernetes plugin answers its zones with AA
        BinaryPrimitives.WriteUInt16LittleEndian(row.Slice(8), (ushort)h.An);
        BinaryPrimitives.WriteUInt16LittleEndian(row.Slice(10), (ushort)h.Ns);
        BinaryPrimitives.WriteUInt16LittleEndian(row.Slice(12), (ushort)h.Ar);
        BinaryPrimitives.WriteUInt16LittleEndian(row.Slice(14), (ushort)h.Af);
        BinaryPrimitives.WriteUInt16LittleEndian(row.Slice(16), (ushort)h.Ac);
        BinaryPrimitives.WriteUInt16LittleEndian(row.Slice(18), (ushort)h.Xf);
        BinaryPrimitives.WriteUInt16LittleEndian(row.Slice(20), (ushort)h.Xc);
        BinaryPrimitives.WriteUInt16LittleEndian(row.Slice(22), (ushort)fixups.Length);
        BinaryPrimitives.WriteInt32LittleEndian(row.Slice(24), _offsetsLen / 4);
        BinaryPrimitives.WriteInt32LittleEndian(row.Slice(28), _fixupsLen / 4);
        Grow(ref _offsets, _offsetsLen + starts.Length * 4);
        foreach (var o in starts) { BinaryPrimitives.WriteInt32LittleEndian(_offsets.AsSpan(_offsetsLen), o); _offsetsLen += 4; }
        Grow(ref _fixups, _fixupsLen + fixups.Length * 4);
        foreach (var f in fixups) { BinaryPrimitives.WriteInt32LittleEndian(_fixups.AsSpan(_fixupsLen), f); _fixupsLen += 4; }
        Grow(ref _data, _dataLen + bytes.Length);
        bytes.CopyTo(_data.AsSpan(_dataLen));
        _dataLen += bytes.Length;
        Count = nid + 1;
        return nid;
    }

    /// <summary>
    /// Appends every answer of <paramref name="other"/> after this store's, and returns the id its first answer has
    /// here (the others follow in order): how a second planner's answers join the first's in a split build
    /// (<see cref="DnsPlanner"/>). Bytes are copied as they are and only the rows' three buffer positions move, so an
    /// answer held by both stores is held twice; later <see cref="Add"/>s find either.
    /// </summary>
    internal int Append(AnswerStore other)
    {
        int first = Count, n = other.Count;
        int data = _dataLen, offsets = _offsetsLen / 4, fixups = _fixupsLen / 4;
        Grow(ref _rows, (first + n) * CompiledLayout.AnswerSize);
        Buffer.BlockCopy(other._rows, 0, _rows, first * CompiledLayout.AnswerSize, n * CompiledLayout.AnswerSize);
        for (int id = first; id < first + n; id++)
        {
            var row = _rows.AsSpan(id * CompiledLayout.AnswerSize, CompiledLayout.AnswerSize);
            BinaryPrimitives.WriteInt32LittleEndian(row, BinaryPrimitives.ReadInt32LittleEndian(row) + data);
            BinaryPrimitives.WriteInt32LittleEndian(row.Slice(24), BinaryPrimitives.ReadInt32LittleEndian(row.Slice(24)) + offsets);
            BinaryPrimitives.WriteInt32LittleEndian(row.Slice(28), BinaryPrimitives.ReadInt32LittleEndian(row.Slice(28)) + fixups);
        }
        Append(ref _data, ref _dataLen, other._data, other._dataLen);
        Append(ref _offsets, ref _offsetsLen, other._offsets, other._offsetsLen);
        Append(ref _fixups, ref _fixupsLen, other._fixups, other._fixupsLen);
        if (_hashOf.Length < first + n) Grow(ref _hashOf, Math.Max(first + n, _hashOf.Length * 2));
        Array.Copy(other._hashOf, 0, _hashOf, first, n);
        Count = first + n;
        // The dedup index, over both stores' answers: the hashes are the bytes', wherever they sit.
        if (Count * 2 > _slots.Length) Rehash(Pow2(Count * 2), Count);
        else
        {
            int mask = _slots.Length - 1;
            for (int id = first; id < Count; id++)
            {
                int at = (int)(_hashOf[id] & (uint)mask);
                while (_slots[at] != 0) at = (at + 1) & mask;
                _slots[at] = id + 1;
            }
        }
        return first;
    }

    private static void Append(ref byte[] to, ref int length, byte[] from, int count)
    {
        Grow(ref to, length + count);
        Buffer.BlockCopy(from, 0, to, length, count);
        length += count;
    }

    /// <summary>Rebuilds the dedup index at <paramref name="size"/> slots over ids 0 to <paramref name="ids"/> - 1.</summary>
    private void Rehash(int size, int ids)
    {
        var slots = new int[size];
        int mask = size - 1;
        for (int id = 0; id < ids; id++)
        {
            int at = (int)(_hashOf[id] & (uint)mask);
            while (slots[at] != 0) at = (at + 1) & mask;
            slots[at] = id + 1;
        }
        _slots = slots;
    }

    private bool Same(int id, in Header h, ReadOnlySpan<byte> bytes)
    {
        var row = _rows.AsSpan(id * CompiledLayout.AnswerSize, CompiledLayout.AnswerSize);
        return row[6] == h.Rcode && BinaryPrimitives.ReadUInt16LittleEndian(row.Slice(4)) == bytes.Length
            && BinaryPrimitives.ReadUInt16LittleEndian(row.Slice(8)) == h.An && BinaryPrimitives.ReadUInt16LittleEndian(row.Slice(10)) == h.Ns
            && BinaryPrimitives.ReadUInt16LittleEndian(row.Slice(12)) == h.Ar
            && _data.AsSpan(BinaryPrimitives.ReadInt32LittleEndian(row), bytes.Length).SequenceEqual(bytes);
    }

    private static ulong Hash(in Header h, ReadOnlySpan<byte> bytes)
    {
        ulong x = (ulong)(h.Rcode | (h.An << 4) | (h.Ns << 20)) * 0x9E3779B97F4A7C15UL ^ (ulong)h.Ar << 40 ^ (ulong)bytes.Length;
        int i = 0;
        for (; i + 8 <= bytes.Length; i += 8) x = (x ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(i))) * 0xC2B2AE3D27D4EB4FUL;
        for (; i < bytes.Length; i++) x = (x ^ bytes[i]) * 0x100000001B3UL;
        return SplitMix64.Mix(x);
    }

    private static void Grow<T>(ref T[] b, int needed) where T : unmanaged
    {
        if (needed <= b.Length) return;
        var n = Uninitialized<T>(Math.Max(needed, b.Length * 2));
        Array.Copy(b, n, b.Length);
        b = n;
    }
}
