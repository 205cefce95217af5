using System;
using System.Collections.Generic;
using System.Linq;
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
/// <item><c>Displacements</c> (u32 per bucket) and <c>Slots</c> (i32 per slot, entry + 1): the perfect hash.</item>
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

    public static CompiledLayout Build(DnsPlan plan)
    {
        int n = plan.Entries.Count;
        var entries = new byte[n * EntrySize];
        var sets = new SetTable();
        int keyBytes = 0;
        foreach (var e in plan.Entries) keyBytes += WireLength(e.Name);
        var keys = new byte[keyBytes];
        var dotted = new byte[keyBytes];
        var hashes = new ulong[n];
        var dottedHashes = new ulong[n];
        int at = 0;
        for (int i = 0; i < n; i++)
        {
            var e = plan.Entries[i];
            int len = WriteKey(e.Name, keys.AsSpan(at), dotted.AsSpan(at));
            hashes[i] = NameHash.Hash(keys.AsSpan(at, len));
            dottedHashes[i] = NameHash.Hash(dotted.AsSpan(at, Math.Max(0, len - 2)));
            WriteEntry(entries.AsSpan(i * EntrySize), at, len, e.Zone, e.Flags, sets.Add(e.Answers));
            at += len;
        }
        var ph = PerfectHash.Build(hashes);
        var dph = PerfectHash.Build(dottedHashes);
        var store = plan.Store;
        return new CompiledLayout
        {
            Keys = keys, Entries = entries, Sets = sets.ToArray(), Answers = store.Rows(),
            AnswerData = store.Data(), RecordOffsets = store.Offsets(), Fixups = store.Fixups(),
            Displacements = Ints(ph.Displacements), Slots = Ints(ph.Slots),
            DottedKeys = dotted, DottedDisplacements = Ints(dph.Displacements), DottedSlots = Ints(dph.Slots),
            EntryCount = n, AnswerCount = store.Count, SetCount = sets.Count,
        };
    }

    /// <summary>The length of a dotted name in wire format: a length byte per label and the final zero.</summary>
    public static int WireLength(string name) => name == "." || name.Length == 0 ? 1 : name.TrimEnd('.').Length + 2;

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

    internal static byte[] Ints(uint[] values)
    {
        var b = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(i * 4), values[i]);
        return b;
    }

    internal static byte[] Ints(int[] values)
    {
        var b = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(i * 4), values[i]);
        return b;
    }
}

/// <summary>Distinct answer sets (an answer id per <see cref="QueryTypeGroup"/>), each stored once; append-only.</summary>
public sealed class SetTable
{
    private byte[] _rows = new byte[CompiledLayout.ClassCount * 4 * 64];
    private readonly Dictionary<ulong, int> _firstByHash = new();
    private int[] _next = new int[64];

    public int Count { get; private set; }
    /// <summary>The buffer as it is now (rows past <see cref="Count"/> are unused).</summary>
    public byte[] Buffer => _rows;
    public byte[] ToArray()
    {
        var r = new byte[Count * CompiledLayout.ClassCount * 4];
        System.Buffer.BlockCopy(_rows, 0, r, 0, r.Length);
        return r;
    }

    public int Add(int[] answers)
    {
        ulong h = 0x9E3779B97F4A7C15UL;
        foreach (var a in answers) h = (h ^ (uint)a) * 0xC2B2AE3D27D4EB4FUL;
        h = SplitMix64.Mix(h);
        int rowSize = CompiledLayout.ClassCount * 4;
        if (_firstByHash.TryGetValue(h, out int first))
            for (int i = first; i >= 0; i = _next[i])
            {
                bool same = true;
                for (int k = 0; k < answers.Length && same; k++)
                    same = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(_rows.AsSpan(i * rowSize + k * 4)) == answers[k];
                if (same) return i;
            }
        else first = -1;
        int id = Count;
        if (id == _next.Length) Array.Resize(ref _next, id * 2);
        _next[id] = first;
        _firstByHash[h] = id;
        if ((id + 1) * rowSize > _rows.Length)
        {
            var grown = new byte[Math.Max(_rows.Length * 2, (id + 1) * rowSize)];
            System.Buffer.BlockCopy(_rows, 0, grown, 0, _rows.Length);
            _rows = grown;
        }
        for (int k = 0; k < answers.Length; k++) System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(_rows.AsSpan(id * rowSize + k * 4), answers[k]);
        Count = id + 1;
        return id;
    }
}
