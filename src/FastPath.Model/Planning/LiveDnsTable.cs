using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using FastPath.Model.Tables;

namespace FastPath.Model.Planning;

/// <summary>
/// A cluster's DNS tables (in <see cref="CompiledLayout"/>'s format) kept up to date a Service at a time: changing a
/// Service or its endpoints re-plans that Service's names, the reverse names of the addresses it held or holds, and the
/// ExternalName Services that point into the zones; every other answer, set and key stays where it is.
/// <para>
/// Sharing between snapshots: answers, answer sets and keys are append-only buffers (a snapshot reads only what existed
/// when it was taken; later appends go past it). The entry rows and the two perfect hashes are chunked
/// (<see cref="SegmentedIndex"/>): a change copies only the chunks it writes, so a published table is never written
/// again and publishing costs what the change touches.
/// </para>
/// </summary>
internal sealed class LiveDnsTable
{
    private readonly DnsPlanner _planner;
    private byte[] _keys, _dotted;
    private int _keysLength;
    private readonly CopyOnWriteChunks _rows;
    private readonly int _dataAtBuild, _keysAtBuild;
    private int _count;
    // No name strings are kept: a name is found through the dotted perfect hash and its key bytes, and a Service's old
    // names are enumerated from the view before it changes (a string per name, an index and a list per Service were
    // ~45 MB at 10,000 Services).
    private ulong[] _hashes, _dottedHashes;
    private readonly byte[] _probe = new byte[256];
    private IncrementalPerfectHash _wire = null!, _dottedHash = null!;
    // The NameFilter, sized for as many names as the wire perfect hash takes before a full build: a new name sets its
    // bits (copying the chunk a snapshot shares), a removed one leaves them (a false "maybe" until the next build).
    private CopyOnWriteChunks? _filter;
    private int _filterWords;
    private readonly HashSet<string> _externalIntoZones = new(StringComparer.Ordinal);

    public LiveDnsTable(DnsPlanner planner, DnsPlan plan)
    {
        _planner = planner;
        int n = plan.Entries.Count;
        _hashes = new ulong[Math.Max(16, n)];
        _dottedHashes = new ulong[_hashes.Length];
        int keyBytes = 0;
        foreach (var e in plan.Entries) keyBytes += CompiledLayout.WireLength(e.Name);
        _keys = new byte[keyBytes + 4096];
        _dotted = new byte[_keys.Length];
        _rows = new CopyOnWriteChunks(CompiledLayout.EntrySize, n + n / 8);
        for (int i = 0; i < n; i++)
        {
            var e = plan.Entries[i];
            WriteRow(i, e);
        }
        _count = n;
        _dataAtBuild = planner.Store.DataLength;
        _keysAtBuild = _keysLength;
        RebuildHashes();
        foreach (var s in planner.View.Services)
            if (planner.PointsIntoZones(s)) _externalIntoZones.Add(s.Meta.Key);
    }

    public int Count => _count;
    public IReadOnlyList<IPAddress> ServerIps => _planner.ServerIps;

    /// <summary>
    /// Replaced answers and keys stay in the append-only buffers until a full build: true once they hold more than
    /// twice what the table started with (plus 1 MB), when a full build is due to give the memory back.
    /// </summary>
    public bool NeedsCompaction => _planner.Store.DataLength > 2L * _dataAtBuild + (1 << 20) || _keysLength > 2L * _keysAtBuild + (1 << 20);

    /// <summary>
    /// Replaces one Service (null: deleted) and its slices, and re-plans what depends on them. Returns false when the
    /// change needs a full build instead (the name server's own addresses moved, or a perfect-hash bucket is full).
    /// </summary>
    public bool ReplaceService(string key, Service? service, IReadOnlyList<EndpointSlice> slices)
    {
        // The names it has now, read from the view before the view changes.
        int slash = key.IndexOf('/');
        var old = _planner.View.FindService(key.Substring(0, slash), key.Substring(slash + 1));
        var before = old is null ? null : _planner.ForwardNames(old);
        var touched = _planner.View.ReplaceService(key, service, slices);
        foreach (var ip in _planner.ServerIps)
            if (touched.Contains(ip.ToString())) return false; // NS and ns.dns answers name the server's Services
        if (service is not null && _planner.PointsIntoZones(service)) _externalIntoZones.Add(key);
        else _externalIntoZones.Remove(key);

        // This Service's names: plan the new ones, drop the ones it no longer has.
        var fresh = service is null ? [] : _planner.ForwardNames(service);
        var now = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (c, zone) in fresh)
            if (now.Add(c.Name) && !Put(c.Name, _planner.PlanName(c, zone))) return false;
        if (before is not null)
            foreach (var (c, _) in before)
                if (!now.Contains(c.Name)) Put(c.Name, null);

        // PTR answers of every address it held or holds (another Service may hold it too).
        foreach (var ip in touched)
            if (_planner.ReverseName(ip) is { } r && !Put(r.Name.Name, _planner.PlanName(r.Name, r.Zone))) return false;

        // ExternalName Services whose targets lie in the zones answer with what those names hold now.
        foreach (var ext in _externalIntoZones)
            if (ext != key && _planner.View.FindService(ext.Substring(0, ext.IndexOf('/')), ext.Substring(ext.IndexOf('/') + 1)) is { } s)
                foreach (var (c, zone) in _planner.ForwardNames(s))
                    if (!Put(c.Name, _planner.PlanName(c, zone))) return false;
        return true;
    }

    /// <summary>Sets a name's entry (null removes it); false when the perfect hash cannot take it (rebuild).</summary>
    private bool Put(string name, PlanEntry? planned)
    {
        int i = IndexOf(name);
        bool exists = i >= 0;
        if (planned is not { } entry)
        {
            if (exists) RemoveAt(i);
            return true;
        }
        if (exists)
        {
            int set = entry.Set;
            var row = _rows.Read(i);
            if (System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(row.Slice(EntryField.AnswerSet)) == set && row[EntryField.Flags] == (byte)entry.Flags) return true;
            int keyOffset = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(row.Slice(EntryField.KeyOffset));
            CompiledLayout.WriteEntry(_rows.Write(i), keyOffset, row[EntryField.KeyLength], entry.Zone, entry.Flags, set);
            return true;
        }
        // A new name: a row at the end, its key appended, then a place in both perfect hashes.
        if ((_count + 1) * 13L > _wire.SlotCount * 10L) return false; // keep the load where displacements are found quickly
        i = _count;
        WriteRow(i, entry);
        _count++;
        return _wire.Insert(i, _hashes[i]) && _dottedHash.Insert(i, _dottedHashes[i]);
    }

    private void RemoveAt(int i)
    {
        _wire.Remove(i, _hashes[i]);
        _dottedHash.Remove(i, _dottedHashes[i]);
        int last = _count - 1;
        if (i != last)
        {
            // The last entry fills the gap: its row, name and hashes move, and both tables point at the new index.
            Span<byte> row = stackalloc byte[CompiledLayout.EntrySize];
            _rows.Read(last).CopyTo(row);
            row.CopyTo(_rows.Write(i));
            _hashes[i] = _hashes[last];
            _dottedHashes[i] = _dottedHashes[last];
            _wire.Move(last, i, _hashes[i]);
            _dottedHash.Move(last, i, _dottedHashes[i]);
        }
        _count = last;
    }

    private void WriteRow(int i, PlanEntry e)
    {
        int len = CompiledLayout.WireLength(e.Name);
        if (_keysLength + len > _keys.Length)
        {
            // Keys are append-only: a bigger buffer for new keys; published snapshots keep the old one.
            Array.Resize(ref _keys, Math.Max(_keys.Length * 2, _keysLength + len));
            Array.Resize(ref _dotted, _keys.Length);
        }
        CompiledLayout.WriteKey(e.Name, _keys.AsSpan(_keysLength), _dotted.AsSpan(_keysLength));
        if (i >= _hashes.Length)
        {
            Array.Resize(ref _hashes, _hashes.Length * 2);
            Array.Resize(ref _dottedHashes, _hashes.Length);
        }
        _hashes[i] = NameHash.Hash(_keys.AsSpan(_keysLength, len));
        FilterAdd(_keys.AsSpan(_keysLength, len));
        _dottedHashes[i] = NameHash.Hash(_dotted.AsSpan(_keysLength, Math.Max(0, len - 2)));
        CompiledLayout.WriteEntry(_rows.Write(i), _keysLength, len, e.Zone, e.Flags, e.Set);
        _keysLength += len;
    }

    /// <summary>Sets a key's filter bits, writing (and so copying a shared chunk) only when one is new.</summary>
    private void FilterAdd(ReadOnlySpan<byte> key)
    {
        if (_filter is null || !NameFilter.Place(key, _filterWords - 1, out int word, out ulong bits)) return;
        ulong now = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(_filter.Read(word));
        if ((now & bits) != bits) System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(_filter.Write(word), now | bits);
    }

    /// <summary>The entry holding <paramref name="name"/>, or -1: its dotted key's slot in the perfect hash, then a compare of the key bytes.</summary>
    private int IndexOf(string name)
    {
        int len = CompiledLayout.WireLength(name);
        if (len > _probe.Length) return -1; // longer than any DNS name: never planned
        int dottedLen = Math.Max(0, len - 2);
        for (int k = 0; k < dottedLen; k++) _probe[k] = (byte)name[k];
        int i = _dottedHash.Find(NameHash.Hash(_probe.AsSpan(0, dottedLen)));
        if (i < 0 || i >= _count) return -1;
        var row = _rows.Read(i);
        if (row[EntryField.KeyLength] != len) return -1;
        int offset = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(row.Slice(EntryField.KeyOffset));
        return _dotted.AsSpan(offset, dottedLen).SequenceEqual(_probe.AsSpan(0, dottedLen)) ? i : -1;
    }

    /// <summary>Rebuilds both perfect hashes and the filter over the current entries (the start, and when one is too full to take a key).</summary>
    public void RebuildHashes()
    {
        var hashes = new ulong[_count];
        var dotted = new ulong[_count];
        Array.Copy(_hashes, hashes, _count);
        Array.Copy(_dottedHashes, dotted, _count);
        Func<int, ulong> unitOf = i => SlotUnit.Of(i, _rows.Read(i));
        _wire = new IncrementalPerfectHash(PerfectHash.Build(hashes), hashes, i => _hashes[i], unitOf);
        _dottedHash = new IncrementalPerfectHash(PerfectHash.Build(dotted), dotted, i => _dottedHashes[i], unitOf);
        // Sized for the names the wire perfect hash takes before Put asks for a full build.
        _filterWords = NameFilter.WordsFor(_wire.SlotCount);
        _filter = new CopyOnWriteChunks(NameFilter.WordSize, _filterWords);
        for (int i = 0; i < _count; i++)
        {
            var row = _rows.Read(i);
            FilterAdd(_keys.AsSpan(System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(row.Slice(EntryField.KeyOffset)), row[EntryField.KeyLength]));
        }
    }

    /// <summary>The tables as they are now, for a snapshot; from here on, changes write copies of the ones that change.</summary>
    public Tables Snapshot()
    {
        var (disp, slots) = _wire.Publish();
        var (dottedDisp, dottedSlots) = _dottedHash.Publish();
        var index = new SegmentedIndex(_count, _rows.Publish(), _wire.BucketCount, disp, _wire.SlotCount, slots,
            _dottedHash.BucketCount, dottedDisp, _dottedHash.SlotCount, dottedSlots, _filterWords, _filter!.Publish());
        var store = _planner.Store;
        return new Tables(_keys, _planner.Sets.Buffer, store.RowsBuffer, store.DataBuffer, store.OffsetsBuffer, store.FixupsBuffer, _dotted, index);
    }

    /// <summary>One state of the tables (the append-only ones may be longer than this state uses).</summary>
    public sealed record Tables(byte[] Keys, byte[] Sets, byte[] Answers, byte[] AnswerData, byte[] RecordOffsets, byte[] Fixups,
        byte[] DottedKeys, SegmentedIndex Index);

    /// <summary>Bytes held by the current tables (shared buffers counted once), for the retained-memory figure.</summary>
    public long RetainedBytes()
    {
        var t = Snapshot();
        return t.Keys.Length + t.Sets.Length + t.Answers.Length + t.AnswerData.Length + t.RecordOffsets.Length + t.Fixups.Length
            + t.DottedKeys.Length + t.Index.Bytes();
    }
}
