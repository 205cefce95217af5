using System;
using FastPath.Model.Tables;

namespace FastPath.Model.Planning;

/// <summary>
/// The writer's side of one <see cref="SegmentedIndex"/> table: fixed-width units in chunks, copied on the first write
/// after <see cref="Publish"/>. A published array of chunk references, and every chunk it names, is never written again;
/// the next change clones only the chunks it writes (and the reference array, a pointer per 256 units).
/// </summary>
internal sealed class CopyOnWriteChunks
{
    private readonly int _width;
    private byte[]?[] _chunks;
    /// <summary>The generation each chunk was made in: chunks of older generations are shared with a snapshot.</summary>
    private int[] _madeIn;
    private int _generation = 1;
    private byte[][]? _published;
    private byte[]? _zero;

    public CopyOnWriteChunks(int width, int units)
    {
        _width = width;
        int chunks = Math.Max(1, (units + SegmentedIndex.Mask) >> SegmentedIndex.Shift);
        _chunks = new byte[chunks][];
        _madeIn = new int[chunks];
    }

    /// <summary>Takes full chunks (as <see cref="SegmentedIndex.Split(uint[])"/> makes them) as they are.</summary>
    public CopyOnWriteChunks(int width, byte[][] chunks) : this(width, chunks.Length << SegmentedIndex.Shift)
    {
        Array.Copy(chunks, _chunks, chunks.Length);
        for (int i = 0; i < chunks.Length; i++) _madeIn[i] = _generation;
    }

    public ReadOnlySpan<byte> Read(int unit) =>
        _chunks[unit >> SegmentedIndex.Shift] is { } c ? c.AsSpan((unit & SegmentedIndex.Mask) * _width, _width) : new byte[_width];

    /// <summary>The unit to write: its chunk is made, or copied when a snapshot shares it.</summary>
    public Span<byte> Write(int unit)
    {
        int c = unit >> SegmentedIndex.Shift;
        if (c >= _chunks.Length)
        {
            int grown = Math.Max(c + 1, _chunks.Length * 2);
            Array.Resize(ref _chunks, grown);
            Array.Resize(ref _madeIn, grown);
        }
        if (_chunks[c] is not { } chunk) _chunks[c] = chunk = new byte[SegmentedIndex.UnitsPerChunk * _width];
        else if (_madeIn[c] != _generation) _chunks[c] = chunk = (byte[])chunk.Clone();
        _madeIn[c] = _generation;
        _published = null;
        return chunk.AsSpan((unit & SegmentedIndex.Mask) * _width, _width);
    }

    /// <summary>The chunks as they are now, for a snapshot (the same array again while nothing was written since).</summary>
    public byte[][] Publish()
    {
        if (_published is null)
        {
            _published = new byte[_chunks.Length][];
            // A chunk never written is published as zeros (empty units), full-size like every other: readers index
            // inside a chunk without a bounds check.
            for (int i = 0; i < _chunks.Length; i++) _published[i] = _chunks[i] ?? (_zero ??= new byte[SegmentedIndex.UnitsPerChunk * _width]);
            _generation++;
        }
        return _published;
    }
}
