using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastPath.Model.Tables;

/// <summary>
/// A filter over the wire keys that answers "certainly no key" for most names that are none, without the name's full
/// hash or the perfect hash's two reads: autopath's search-path tries are mostly misses (<c>web.bench</c> asked from
/// namespace <c>bench</c> is first tried as <c>web.bench.bench.svc.cluster.local</c>). Each key sets two bits of one
/// 64-bit word, chosen from its length and its first two 8-byte words, case folded as <see cref="NameHash"/> folds
/// them; a name whose two bits are not both set is no key. It may only say "absent": a key's bits stay set until the
/// filter is built again, so a removed name costs only a later probe. Names shorter than <see cref="MinLength"/> are
/// never filtered. Built wherever the index is built (<c>SnapshotTables</c>, <c>LiveDnsTable</c>, or the engine from
/// generated code's keys), never at query time.
/// </summary>
public static class NameFilter
{
    /// <summary>Bytes per unit (one 64-bit word of bits).</summary>
    public const int WordSize = 8;

    /// <summary>The shortest name the filter keys (two 8-byte loads, overlapping below 16 bytes).</summary>
    public const int MinLength = 8;

    /// <summary>About eight bits per name: two bits a name in one word give about one false "maybe" in twenty.</summary>
    private const int NamesPerWord = 8;

    private const ulong Fold = 0x2020202020202020UL, GoldenRatio = 0x9E3779B97F4A7C15UL, XxPrime2 = 0xC2B2AE3D27D4EB4FUL;

    /// <summary>Words for a filter over up to <paramref name="names"/> names: a power of two, at least one.</summary>
    public static int WordsFor(int names)
    {
        int words = 1;
        while (words < names / NamesPerWord && words < 1 << 28) words <<= 1;
        return words;
    }

    /// <summary>The filter's hash of a name of at least <see cref="MinLength"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Hash(ReadOnlySpan<byte> name)
    {
        ref byte at = ref MemoryMarshal.GetReference(name);
        ulong first = Word(ref at), second = Word(ref Unsafe.Add(ref at, Math.Min(8, name.Length - 8)));
        ulong h = (((first ^ (uint)name.Length) * GoldenRatio) ^ second) * XxPrime2;
        return h ^ (h >> 32);
    }

    /// <summary>The word a hash's bits are in, of a filter of <paramref name="wordMask"/> + 1 words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WordOf(ulong hash, int wordMask) => (int)(hash >> 40) & wordMask;

    /// <summary>The two bits a hash sets in its word (one when they coincide).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Bits(ulong hash) => (1UL << (int)(hash & 63)) | (1UL << (int)((hash >> 6) & 63));

    /// <summary>Where a key's bits go in a filter of <paramref name="wordMask"/> + 1 words; false for a key too short to be filtered.</summary>
    public static bool Place(ReadOnlySpan<byte> key, int wordMask, out int word, out ulong bits)
    {
        word = 0;
        bits = 0;
        if (key.Length < MinLength) return false;
        ulong h = Hash(key);
        (word, bits) = (WordOf(h, wordMask), Bits(h));
        return true;
    }

    /// <summary>Sets a key's bits in a filter whose word <c>i</c> is <paramref name="wordAt"/>(i) (flat, or a snapshot's chunks).</summary>
    internal static void Add(ReadOnlySpan<byte> key, CompiledLayout.RowAt wordAt, int wordMask)
    {
        if (!Place(key, wordMask, out int at, out ulong bits)) return;
        var word = wordAt(at);
        BinaryPrimitives.WriteUInt64LittleEndian(word, BinaryPrimitives.ReadUInt64LittleEndian(word) | bits);
    }

    /// <summary>Whether a flat filter may hold the name (always true for names it does not key).</summary>
    public static bool MayHold(ReadOnlySpan<byte> words, ReadOnlySpan<byte> name)
    {
        if (name.Length < MinLength || words.IsEmpty) return true;
        ulong h = Hash(name), bits = Bits(h);
        return (BinaryPrimitives.ReadUInt64LittleEndian(words.Slice(WordOf(h, words.Length / WordSize - 1) * WordSize)) & bits) == bits;
    }

    /// <summary>
    /// A filter over the keys of <paramref name="count"/> entry rows (<see cref="CompiledLayout"/>'s <c>Entries</c>
    /// over <c>Keys</c>; <paramref name="row"/>(i) is row i) into <paramref name="wordAt"/>, whose
    /// <paramref name="wordMask"/> + 1 words are zero.
    /// </summary>
    internal static void AddAll(ReadOnlySpan<byte> keys, int count, CompiledLayout.RowAt row, CompiledLayout.RowAt wordAt, int wordMask)
    {
        for (int i = 0; i < count; i++)
        {
            var r = row(i);
            Add(keys.Slice(BinaryPrimitives.ReadInt32LittleEndian(r.Slice(EntryField.KeyOffset)), r[EntryField.KeyLength]), wordAt, wordMask);
        }
    }

    /// <summary>A flat filter over generated code's keys and entry rows, which carry none: the engine builds it once, when made.</summary>
    public static byte[] Build(byte[] keys, byte[] entries)
    {
        int n = entries.Length / CompiledLayout.EntrySize, words = WordsFor(n);
        var filter = new byte[words * WordSize];
        AddAll(keys, n, i => entries.AsSpan(i * CompiledLayout.EntrySize, CompiledLayout.EntrySize), i => filter.AsSpan(i * WordSize, WordSize), words - 1);
        return filter;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Word(ref byte at)
    {
        ulong v = Unsafe.ReadUnaligned<ulong>(ref at);
        return (BitConverter.IsLittleEndian ? v : BinaryPrimitives.ReverseEndianness(v)) | Fold;
    }
}
