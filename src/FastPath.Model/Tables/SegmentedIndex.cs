using System;

namespace FastPath.Model.Tables;

/// <summary>
/// The index tables a lookup walks (entry rows and both perfect hashes) held in fixed chunks of
/// <see cref="UnitsPerChunk"/> units: unit <c>i</c> lives in chunk <c>i &gt;&gt; Shift</c> at unit <c>i &amp; Mask</c>.
/// A live update copies only the chunks it writes and the small arrays of chunk references, so publishing a change
/// costs what it touches, not the size of the cluster (see FORMAT.md). Generated code's flat tables are read as they
/// are: a chunk costs a lookup one dependent load (its reference) per table, which only a live table needs to pay.
/// <see cref="Filter"/> (a <see cref="NameFilter"/> of <see cref="FilterWords"/> 8-byte words) is chunked the same way;
/// an index without one (null) filters nothing.
/// </summary>
internal sealed record SegmentedIndex(int Count, byte[][] Entries, int BucketCount, byte[][] Displacements, int SlotCount, byte[][] Slots,
    int DottedBucketCount, byte[][] DottedDisplacements, int DottedSlotCount, byte[][] DottedSlots, int FilterWords = 0, byte[][]? Filter = null)
{
    public const int Shift = 8, UnitsPerChunk = 1 << Shift, Mask = UnitsPerChunk - 1;

    /// <summary>A perfect hash's displacements as stored (<see cref="NameHash.Displacement"/>), in chunks.</summary>
    public static byte[][] SplitDisplacements(uint[] displacements) => Split(CompiledLayout.DisplacementBytes(displacements), NameHash.DisplacementSize);

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

    /// <summary>Bytes held, each chunk counted (for the retained-memory figure).</summary>
    public long Bytes()
    {
        long n = 0;
        foreach (var t in new[] { Entries, Displacements, Slots, DottedDisplacements, DottedSlots, Filter ?? [] })
        {
            n += t.Length * 8L;
            foreach (var c in t) n += c?.Length ?? 0;
        }
        return n;
    }
}
