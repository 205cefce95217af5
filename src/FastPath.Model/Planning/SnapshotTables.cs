using System;
using FastPath.Model.Tables;

namespace FastPath.Model.Planning;

/// <summary>
/// A full plan's tables for an in-memory snapshot, written straight into the shapes the engine reads: the index
/// tables (entry rows, both perfect hashes) as chunks, the answer store's buffers as they are (the engine reads them
/// by id, so the unused tail past the last answer costs nothing). <see cref="CompiledLayout.Build"/> makes the flat
/// copies the generated code embeds; a snapshot needs none of them.
/// </summary>
internal static class SnapshotTables
{
    public static LiveDnsTable.Tables Build(DnsPlan plan)
    {
        int n = plan.Entries.Count;
        var rows = new byte[Math.Max(1, (n + SegmentedIndex.Mask) >> SegmentedIndex.Shift)][];
        for (int c = 0; c < rows.Length; c++) rows[c] = new byte[SegmentedIndex.UnitsPerChunk * CompiledLayout.EntrySize];
        var (keys, dotted, hashes, dottedHashes) = CompiledLayout.WriteNames(plan.Entries,
            i => rows[i >> SegmentedIndex.Shift].AsSpan((i & SegmentedIndex.Mask) * CompiledLayout.EntrySize, CompiledLayout.EntrySize));
        var ph = PerfectHash.Build(hashes);
        var dph = PerfectHash.Build(dottedHashes);
        var index = new SegmentedIndex(n, rows, ph.Displacements.Length, SegmentedIndex.Split(ph.Displacements), ph.Slots.Length,
            SegmentedIndex.Split(ph.Slots), dph.Displacements.Length, SegmentedIndex.Split(dph.Displacements), dph.Slots.Length,
            SegmentedIndex.Split(dph.Slots));
        var store = plan.Store;
        return new LiveDnsTable.Tables(keys, plan.Sets.Buffer, store.RowsBuffer, store.DataBuffer, store.OffsetsBuffer, store.FixupsBuffer, dotted, index);
    }
}
