using System;
using System.Threading.Tasks;
using FastPath.Model.Tables;

namespace FastPath.Model.Planning;

/// <summary>
/// A full plan's tables for an in-memory snapshot, written straight into the shapes the engine reads: the index
/// tables (entry rows, both perfect hashes, the <see cref="NameFilter"/>) as chunks, the answer store's buffers as they are (the engine reads them
/// by id, so the unused tail past the last answer costs nothing). <see cref="CompiledLayout.Build"/> makes the flat
/// copies the generated code embeds; a snapshot needs none of them.
/// </summary>
internal static class SnapshotTables
{
    public static LiveDnsTable.Tables Build(DnsPlan plan)
    {
        int n = plan.Entries.Count;
        var rows = SegmentedIndex.EmptyChunks(n, CompiledLayout.EntrySize);
        var rowAt = SegmentedIndex.UnitAt(rows, CompiledLayout.EntrySize);
        var (keys, dotted, hashes, dottedHashes) = CompiledLayout.WriteNames(plan.Entries, rowAt);
        // The two perfect hashes share nothing but the rows they read: the dotted one is built on another thread.
        var dottedBuild = Task.Run(() => { var d = PerfectHash.Build(dottedHashes); return (Hash: d, Slots: SlotChunks(d.Slots, rowAt)); });
        var ph = PerfectHash.Build(hashes);
        var slots = SlotChunks(ph.Slots, rowAt);
        int words = NameFilter.WordsFor(n);
        var filter = SegmentedIndex.EmptyChunks(words, NameFilter.WordSize);
        NameFilter.AddAll(keys, n, rowAt, SegmentedIndex.UnitAt(filter, NameFilter.WordSize), words - 1);
        var (dph, dottedSlots) = dottedBuild.GetAwaiter().GetResult();
        var index = new SegmentedIndex(n, rows, ph.Displacements.Length, SegmentedIndex.SplitDisplacements(ph.Displacements), ph.Slots.Length,
            slots, dph.Displacements.Length, SegmentedIndex.SplitDisplacements(dph.Displacements), dph.Slots.Length, dottedSlots, words, filter);
        var store = plan.Store;
        return new LiveDnsTable.Tables(keys, plan.Sets.Buffer, store.RowsBuffer, store.DataBuffer, store.OffsetsBuffer, store.FixupsBuffer, dotted, index);
    }

    /// <summary>A perfect hash's slots as chunks of <see cref="SlotUnit"/>s, each entry's key read from its row.</summary>
    private static byte[][] SlotChunks(int[] slots, CompiledLayout.RowAt row)
    {
        var chunks = SegmentedIndex.EmptyChunks(slots.Length, SlotUnit.Size);
        SlotUnit.WriteAll(slots, e => SlotUnit.Of(e, row(e)), SegmentedIndex.UnitAt(chunks, SlotUnit.Size));
        return chunks;
    }
}
