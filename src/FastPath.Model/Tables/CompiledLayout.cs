using System;
using System.Threading.Tasks;
using System.Collections.Generic;
using System.Buffers.Binary;
using FastPath.Model.Planning;

namespace FastPath.Model.Tables;

/// <summary>
/// The flat tables a compiled DNS engine reads, laid out from a <see cref="DnsPlan"/>. Integers are little-endian.
/// <list type="bullet">
/// <item><c>Keys</c>: every name in lower-case wire format, back to back.</item>
/// <item><c>Entries</c>: 12 bytes per name: key offset (i32), key length, zone, flags, pad, answer set (i32).</item>
/// <item><c>Sets</c>: per distinct answer set, an answer index (i32) per <see cref="QueryTypeGroup"/>.</item>
/// <item><c>Answers</c>: 32 bytes per distinct answer: data offset (i32), data length (u16), rcode, AA, the three section
/// counts (u16), the rotatable address run in the answer and additional sections (first, count: u16 each), the number of
/// zone-pointer fixups (u16), the index of its record offsets (i32), the index of its fixups (i32).</item>
/// <item><c>AnswerData</c>: the sections' bytes; <c>RecordOffsets</c>: each answer's record starts and its end (i32);
/// <c>Fixups</c>: offsets in the answer's data of the zone pointers the engine patches (i32).</item>
/// <item><c>Displacements</c> (u64 per bucket, premultiplied: <see cref="NameHash.Displacement"/>) and <c>Slots</c> (a <see cref="SlotUnit"/> per slot: entry + 1, key length
/// and offset): the perfect hash.</item>
/// </list>
/// </summary>
public sealed class CompiledLayout
{
    public const int EntrySize = 12, AnswerSize = 32;
    public static readonly int ClassCount = QueryTypeGroups.Count;

    public byte[] Keys { get; private set; } = [];
    public byte[] Entries { get; private set; } = [];
    public byte[] Sets { get; private set; } = [];
    public byte[] Answers { get; private set; } = [];
    public byte[] AnswerData { get; private set; } = [];
    public byte[] RecordOffsets { get; private set; } = [];
    public byte[] Fixups { get; private set; } = [];
    public byte[] Displacements { get; private set; } = [];
    public byte[] Slots { get; private set; } = [];
    /// <summary>The names in dotted form (lower case, no trailing dot), at the same offsets as <see cref="Keys"/> minus one.</summary>
    public byte[] DottedKeys { get; private set; } = [];
    /// <summary>A second perfect hash over the dotted names, so UTF-8 and char lookups need no conversion to wire format.</summary>
    public byte[] DottedDisplacements { get; private set; } = [];
    public byte[] DottedSlots { get; private set; } = [];
    public int EntryCount { get; private set; }
    public int AnswerCount { get; private set; }
    public int SetCount { get; private set; }

    public static CompiledLayout Build(DnsPlan plan) => Build(plan, DnsPlanner.SplitFromNames);

    /// <summary><see cref="Build(DnsPlan)"/>, with the dotted perfect hash on another thread from <paramref name="parallelFrom"/> entries (tests force it).</summary>
    internal static CompiledLayout Build(DnsPlan plan, int parallelFrom)
    {
        int n = plan.Entries.Count;
        var entries = new byte[n * EntrySize];
        var (keys, dotted, hashes, dottedHashes) = WriteNames(plan.Entries, i => entries.AsSpan(i * EntrySize, EntrySize));
        // The two perfect hashes share nothing but the rows they read: a big plan's dotted one is built on another
        // thread, as a snapshot's is (SnapshotTables). Each is the same on any thread, so the output stays the same.
        Func<(byte[], byte[])> dottedTables = () => { var d = PerfectHash.Build(dottedHashes); return (DisplacementBytes(d.Displacements), SlotBytes(d.Slots, entries)); };
        var dottedBuild = n >= parallelFrom ? Task.Run(dottedTables) : null;
        var ph = PerfectHash.Build(hashes);
        var (displacements, slots) = (DisplacementBytes(ph.Displacements), SlotBytes(ph.Slots, entries));
        var (dottedDisplacements, dottedSlots) = dottedBuild?.GetAwaiter().GetResult() ?? dottedTables();
        var store = plan.Store;
        return new CompiledLayout
        {
            Keys = keys, Entries = entries, Sets = plan.Sets.ToArray(), Answers = store.Rows(),
            AnswerData = store.Data(), RecordOffsets = store.Offsets(), Fixups = store.Fixups(),
            Displacements = displacements, Slots = slots,
            DottedKeys = dotted, DottedDisplacements = dottedDisplacements, DottedSlots = dottedSlots,
            EntryCount = n, AnswerCount = store.Count, SetCount = plan.Sets.Count,
        };
    }

    /// <summary>Where entry <c>i</c>'s row is written: the flat table, or the snapshot's chunk holding it.</summary>
    internal delegate Span<byte> RowAt(int index);

    /// <summary>
    /// Writes every entry's key (wire form and dotted form, at the same offsets) and its row, and hashes both keys for
    /// the two perfect hashes: the pass the flat layout and the in-memory snapshot share.
    /// </summary>
    internal static (byte[] Keys, byte[] Dotted, ulong[] Hashes, ulong[] DottedHashes) WriteNames(IReadOnlyList<PlanEntry> entries, RowAt row)
    {
        int n = entries.Count;
        int keyBytes = 0;
        for (int i = 0; i < n; i++) keyBytes += WireLength(entries[i].Name);
        var keys = new byte[keyBytes];
        var dotted = new byte[keyBytes];
        var hashes = new ulong[n];
        var dottedHashes = new ulong[n];
        int at = 0;
        for (int i = 0; i < n; i++)
        {
            var e = entries[i];
            int len = WriteKey(e.Name, keys.AsSpan(at), dotted.AsSpan(at));
            hashes[i] = NameHash.Hash(keys.AsSpan(at, len));
            dottedHashes[i] = NameHash.Hash(dotted.AsSpan(at, Math.Max(0, len - 2)));
            WriteEntry(row(i), at, len, e.Zone, e.Flags, e.Set);
            at += len;
        }
        return (keys, dotted, hashes, dottedHashes);
    }

    /// <summary>The length of a dotted name in wire format: a length byte per label and the final zero.</summary>
    public static int WireLength(string name)
    {
        // Counted in place: TrimEnd would make a string (and, on netstandard2.0, a char array) per name.
        int end = name.Length;
        while (end > 0 && name[end - 1] == '.') end--;
        return name.Length == 0 || name == "." ? 1 : end + 2;
    }

    /// <summary>
    /// Writes the name in lower-case wire format to <paramref name="wire"/> and in dotted form (no trailing dot, zero
    /// padded to the wire length) to <paramref name="dotted"/>, so both keys of an entry share one offset.
    /// </summary>
    public static int WriteKey(string name, Span<byte> wire, Span<byte> dotted)
    {
        int len = WireLength(name);
        wire.Slice(0, len).Clear();
        dotted.Slice(0, len).Clear();
        if (len == 1) return 1;
        int labelStart = 0, w = 1, chars = len - 2;
        for (int i = 0; i < chars; i++)
        {
            byte c = (byte)name[i];
            dotted[i] = c;
            if (c == '.') { wire[labelStart] = (byte)(w - labelStart - 1); labelStart = w; w++; continue; }
            wire[w++] = c;
        }
        wire[labelStart] = (byte)(w - labelStart - 1);
        return len;
    }

    public static void WriteEntry(Span<byte> row, int keyOffset, int keyLength, int zone, EntryFlags flags, int set)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(row, keyOffset);
        row[4] = (byte)keyLength;
        row[5] = (byte)zone;
        row[6] = (byte)flags;
        row[7] = 0;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(row.Slice(8), set);
    }

    /// <summary>A perfect hash's displacements as the tables store them (<see cref="NameHash.Displacement"/>, u64 each).</summary>
    internal static byte[] DisplacementBytes(uint[] displacements)
    {
        var b = new byte[displacements.Length * NameHash.DisplacementSize];
        for (int i = 0; i < displacements.Length; i++)
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(i * NameHash.DisplacementSize), NameHash.Displacement(displacements[i]));
        return b;
    }

    /// <summary>A perfect hash's slots as flat <see cref="SlotUnit"/>s, each entry's key read from its row.</summary>
    private static byte[] SlotBytes(int[] slots, byte[] entries)
    {
        var b = new byte[slots.Length * SlotUnit.Size];
        SlotUnit.WriteAll(slots, e => SlotUnit.Of(e, entries.AsSpan(e * EntrySize, EntrySize)), s => b.AsSpan(s * SlotUnit.Size, SlotUnit.Size));
        return b;
    }
}

/// <summary>Distinct answer sets (an answer id per <see cref="QueryTypeGroup"/>), each stored once; append-only.</summary>
public sealed class SetTable
{
    private static readonly int RowSize = CompiledLayout.ClassCount * 4;
    private byte[] _rows;
    // Dedup index, open addressing: slot → id + 1 (0 empty); a row is its own key, so growing reads the rows.
    private int[] _slots;

    public SetTable() : this(64) { }

    /// <summary>A table sized for about <paramref name="sets"/> sets (it grows past them).</summary>
    public SetTable(int sets)
    {
        sets = Math.Max(64, sets);
        _rows = new byte[RowSize * sets];
        int slots = 1;
        while (slots < sets * 2) slots <<= 1;
        _slots = new int[slots];
    }

    public int Count { get; private set; }
    /// <summary>The buffer as it is now (rows past <see cref="Count"/> are unused).</summary>
    public byte[] Buffer => _rows;
    public byte[] ToArray()
    {
        var r = new byte[Count * RowSize];
        System.Buffer.BlockCopy(_rows, 0, r, 0, r.Length);
        return r;
    }

    public int Add(int[] answers)
    {
        int mask = _slots.Length - 1, at = (int)(Hash(answers) & (uint)mask);
        for (int id; (id = _slots[at] - 1) >= 0; at = (at + 1) & mask)
            if (Same(id, answers)) return id;
        int nid = Count;
        if ((nid + 1) * RowSize > _rows.Length)
        {
            var grown = new byte[Math.Max(_rows.Length * 2, (nid + 1) * RowSize)];
            System.Buffer.BlockCopy(_rows, 0, grown, 0, _rows.Length);
            _rows = grown;
        }
        for (int k = 0; k < answers.Length; k++) BinaryPrimitives.WriteInt32LittleEndian(_rows.AsSpan(nid * RowSize + k * 4), answers[k]);
        _slots[at] = nid + 1;
        Count = nid + 1;
        if (Count * 2 > _slots.Length) Rehash(_slots.Length * 2);
        return nid;
    }

    /// <summary>Copies set <paramref name="id"/>'s answer ids into <paramref name="answers"/> (one per class).</summary>
    public void Read(int id, int[] answers)
    {
        for (int k = 0; k < answers.Length; k++) answers[k] = BinaryPrimitives.ReadInt32LittleEndian(_rows.AsSpan(id * RowSize + k * 4));
    }

    private bool Same(int id, int[] answers)
    {
        for (int k = 0; k < answers.Length; k++)
            if (BinaryPrimitives.ReadInt32LittleEndian(_rows.AsSpan(id * RowSize + k * 4)) != answers[k]) return false;
        return true;
    }

    private static ulong Hash(int[] answers)
    {
        ulong h = 0x9E3779B97F4A7C15UL;
        foreach (var a in answers) h = (h ^ (uint)a) * 0xC2B2AE3D27D4EB4FUL;
        return SplitMix64.Mix(h);
    }

    private void Rehash(int size)
    {
        var slots = new int[size];
        int mask = size - 1;
        var row = new int[CompiledLayout.ClassCount];
        for (int id = 0; id < Count; id++)
        {
            Read(id, row);
            int at = (int)(Hash(row) & (uint)mask);
            while (slots[at] != 0) at = (at + 1) & mask;
            slots[at] = id + 1;
        }
        _slots = slots;
    }
}
