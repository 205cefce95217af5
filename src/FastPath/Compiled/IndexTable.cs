using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FastPath.Model.Tables;

namespace FastPath.Compiled;

/// <summary>
/// One index table (entry rows, displacements or slots) in the shape a lookup reads it. The lookups are generic over
/// the shape, so each gets its own compiled code and neither pays for the other: generated code's tables are flat
/// (one load per unit), a live snapshot's are copy-on-write chunks (a load of the chunk's reference first).
/// </summary>
internal interface IIndexTable
{
    bool IsEmpty { get; }

    /// <summary>The first byte of unit <paramref name="i"/> of <paramref name="width"/> bytes, read without a bounds
    /// check: every caller has <paramref name="i"/> in range by construction (a mask of the table's power-of-two
    /// length, or an entry below the row count).</summary>
    ref byte At(int i, int width);
}

/// <summary>A table as one array, as generated code embeds it (<see cref="CompiledLayout"/>).</summary>
internal readonly struct FlatTable(byte[] bytes) : IIndexTable
{
    public bool IsEmpty => bytes.Length == 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref byte At(int i, int width)
    {
        Debug.Assert((uint)i < (uint)(bytes.Length / width));
        return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(bytes), (nint)(uint)i * width);
    }
}

/// <summary>A table in <see cref="SegmentedIndex"/> chunks, as a live snapshot publishes it.</summary>
internal readonly struct ChunkedTable(byte[][] chunks) : IIndexTable
{
    public bool IsEmpty => chunks.Length == 0;

    // Every chunk is full (SegmentedIndex.Split pads the last one, CopyOnWriteChunks publishes a zero chunk for one
    // never written), so an offset inside a chunk is in range by construction: only the chunk index is bounds-checked.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref byte At(int i, int width)
    {
        byte[] chunk = chunks[i >> SegmentedIndex.Shift];
        Debug.Assert(chunk.Length == SegmentedIndex.UnitsPerChunk * width);
        return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(chunk), (i & SegmentedIndex.Mask) * width);
    }
}

/// <summary>
/// The five index tables of one engine in one shape, with the masks and counts a lookup needs, and the
/// <see cref="NameFilter"/> (empty: none) of <paramref name="filterWords"/> words.
/// </summary>
internal sealed class IndexTables<T>(int count, T entries, T displacements, int bucketCount, T slots, int slotCount,
    T dottedDisplacements, int dottedBucketCount, T dottedSlots, int dottedSlotCount, T filter, int filterWords) where T : struct, IIndexTable
{
    public readonly int Count = count;
    public readonly T Entries = entries, Displacements = displacements, Slots = slots, DottedDisplacements = dottedDisplacements, DottedSlots = dottedSlots,
        Filter = filter;
    public readonly int BucketMask = bucketCount - 1, SlotMask = slotCount - 1, DottedBucketMask = dottedBucketCount - 1, DottedSlotMask = dottedSlotCount - 1,
        FilterMask = filterWords - 1;
}
