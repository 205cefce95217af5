using System;

namespace FastPath.Model.Tables;

/// <summary>
/// The index tables a lookup walks (entry rows and both perfect hashes) held in fixed chunks of
/// <see cref="UnitsPerChunk"/> units: unit <c>i</c> lives in chunk <c>i &gt;&gt; Shift</c> at unit <c>i &amp; Mask</c>.
/// A live update copies only the chunks it writes and the small arrays of chunk references, so publishing a change
/// costs what it touches, not the size of the cluster (see FORMAT.md). Generated code embeds the flat tables;
/// <see cref="FromFlat"/> cuts them into chunks once, when the engine is made.
/// </summary>
internal sealed record SegmentedIndex(int Count, byte[][] Entries, int BucketCount, byte[][] Displacements, int SlotCount, byte[][] Slots,
    int DottedBucketCount, byte[][] DottedDisplacements, int DottedSlotCount, byte[][] DottedSlots)
{
    public const int Shift = 8, UnitsPerChunk = 1 << Shift, Mask = UnitsPerChunk - 1;

    /// <summary>Cuts flat tables (the layout <see cref="CompiledLayout"/> writes) into chunks.</summary>
    public static SegmentedIndex FromFlat(byte[] entries, byte[] displacements, byte[] slots, byte[] dottedDisplacements, byte[] dottedSlots) =>
        new(entries.Length / CompiledLayout.EntrySize, Split(entries, CompiledLayout.EntrySize),
            displacements.Length / 4, Split(displacements, 4), slots.Length / SlotUnit.Size, Split(slots, SlotUnit.Size),
            dottedDisplacements.Length / 4, Split(dottedDisplacements, 4), dottedSlots.Length / SlotUnit.Size, Split(dottedSlots, SlotUnit.Size));

    /// <summary>Zeroed full chunks for <paramref name="units"/> units of <paramref name="width"/> bytes (at least one chunk).</summary>
    public static byte[][] EmptyChunks(int units, int width)
    {
        var chunks = new byte[Math.Max(1, (units + Mask) >> Shift)][];
        for (int c = 0; c < chunks.Length; c++) chunks[c] = new byte[UnitsPerChunk * width];
        return chunks;
    }

    /// <summary>Where unit <c>i</c> of <paramref name="width"/> bytes lives in <paramref name="chunks"/>.</summary>
    internal static CompiledLayout.RowAt UnitAt(byte[][] chunks, int width) => i => chunks[i >> Shift].AsSpan((i & Mask) * width, width);

    /// <summary>Flat bytes of <paramref name="width"/>-byte units, as full chunks (the last one zero-padded).</summary>
    public static byte[][] Split(ReadOnlySpan<byte> flat, int width)
    {
        int chunkBytes = UnitsPerChunk * width;
        var chunks = new byte[(flat.Length + chunkBytes - 1) / chunkBytes][];
        for (int c = 0; c < chunks.Length; c++)
        {
            chunks[c] = new byte[chunkBytes];
            var part = flat.Slice(c * chunkBytes);
            part.Slice(0, Math.Min(part.Length, chunkBytes)).CopyTo(chunks[c]);
        }
        return chunks;
    }

    /// <summary>32-bit values as full chunks of little-endian units, written straight from the array (no flat copy first).</summary>
    public static byte[][] Split(uint[] values) => Split((ReadOnlySpan<uint>)values);

    // At least one chunk, even for no values: chunks are always full-size and a lookup reads them without a length check.
    private static byte[][] Split(ReadOnlySpan<uint> values)
    {
        var chunks = new byte[Math.Max(1, (values.Length + Mask) >> Shift)][];
        for (int c = 0; c < chunks.Length; c++)
        {
            var chunk = chunks[c] = new byte[UnitsPerChunk * 4];
            int from = c << Shift, to = Math.Min(values.Length, from + UnitsPerChunk);
            for (int i = from; i < to; i++) System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan((i - from) * 4), values[i]);
        }
        return chunks;
    }

    /// <summary>Bytes held, each chunk counted (for the retained-memory figure).</summary>
    public long Bytes()
    {
        long n = 0;
        foreach (var t in new[] { Entries, Displacements, Slots, DottedDisplacements, DottedSlots })
        {
            n += t.Length * 8L;
            foreach (var c in t) n += c?.Length ?? 0;
        }
        return n;
    }
}
