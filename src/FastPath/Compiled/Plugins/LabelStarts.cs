using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace FastPath.Compiled.Plugins;

/// <summary>
/// Where a wire name's labels start, as a set of offsets (a name is at most 255 bytes), found in one walk. autopath
/// asks the same name several questions (which zone it ends in, whether the search suffix follows its base, how many
/// labels stand before the zone, whether the last is <c>pod</c>); each would otherwise walk the labels again, one
/// dependent load per label. A search-path try is a base and a suffix: it is asked through the base's starts and the
/// suffix's (precomputed), never walked whole.
/// </summary>
internal struct LabelStarts
{
    [InlineArray(4)]
    private struct Bits { private ulong _word; }

    private Bits _bits;

    /// <summary>The label starts of a well-formed wire name (its final zero included).</summary>
    public static LabelStarts Of(ReadOnlySpan<byte> name)
    {
        var starts = default(LabelStarts);
        for (int p = 0; p < name.Length; p += name[p] + 1) starts._bits[p >> 6] |= 1UL << (p & 63);
        return starts;
    }

    /// <summary>
    /// The label starts of a name's first <paramref name="end"/> bytes (a base before a suffix), walked from the
    /// front; false when no label starts at <paramref name="end"/>, so the name does not end in a suffix standing there.
    /// A name known to end in a search suffix is walked over its base only: the suffix's labels are known already.
    /// </summary>
    public static bool OfBase(ReadOnlySpan<byte> name, int end, out LabelStarts starts)
    {
        starts = default;
        int p = 0;
        while (p < end)
        {
            starts._bits[p >> 6] |= 1UL << (p & 63);
            p += name[p] + 1;
        }
        return p == end;
    }

    /// <summary>
    /// <see cref="CountBelow"/> for a name made of a base (<paramref name="head"/>, its <see cref="OfBase"/> starts,
    /// <paramref name="baseLength"/> bytes) and a suffix whose starts are <paramref name="suffix"/>, without putting
    /// the two together (a shifted copy read back at once stalls on store forwarding).
    /// </summary>
    public static int CountBelowJoined(in LabelStarts head, int baseLength, in LabelStarts suffix, int offset) =>
        offset <= baseLength ? head.CountBelow(offset) : head.CountBelow(baseLength) + suffix.CountBelow(offset - baseLength);

    /// <summary>
    /// Whether the label that ends at <paramref name="offset"/> (the one just before a zone) is
    /// <paramref name="letters"/> in any case, for a name made of a base and a suffix as <see cref="CountBelowJoined"/>;
    /// false when no label stands before the offset. The letters must be lower-case ASCII letters: then setting a
    /// byte's 0x20 bit gives the letter exactly when the byte is that letter in either case, and the compare needs no call.
    /// </summary>
    public static bool LabelBeforeIs(ReadOnlySpan<byte> name, in LabelStarts head, int baseLength, in LabelStarts suffix, int offset, ReadOnlySpan<byte> letters)
    {
        int p = offset > baseLength ? baseLength + suffix.LastBelow(offset - baseLength) : head.LastBelow(offset);
        return p >= 0 && p + 1 + letters.Length == offset && name[p] == letters.Length && IsLetters(name.Slice(p + 1, letters.Length), letters);
    }

    /// <summary>The last label start below <paramref name="offset"/> (at most 256), or -1. A name up to 64 bytes long
    /// (most are) has its starts in the first word: that case is inlined, the rest is a call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly int LastBelow(int offset)
    {
        if ((uint)offset >= 64) return LastBelowFar(offset);
        ulong bits = _bits[0] & ((1UL << offset) - 1);
        return bits == 0 ? -1 : 63 - BitOperations.LeadingZeroCount(bits);
    }

    private readonly int LastBelowFar(int offset)
    {
        for (int w = (offset - 1) >> 6; w >= 0; w--)
        {
            int top = offset - (w << 6); // bits of word w below the offset: all 64 when the offset lies above it
            ulong bits = top >= 64 ? _bits[w] : _bits[w] & ((1UL << top) - 1);
            if (bits != 0) return (w << 6) + 63 - BitOperations.LeadingZeroCount(bits);
        }
        return -1;
    }

    public readonly bool Has(int offset) => (uint)offset < 256 && (_bits[offset >> 6] & (1UL << (offset & 63))) != 0;

    /// <summary>Whether the name ends with <paramref name="zone"/> at a label boundary (any case): <see cref="WireNames.IsSubdomain"/> without the walk.</summary>
    public readonly bool EndsIn(ReadOnlySpan<byte> name, ReadOnlySpan<byte> zone) =>
        zone.Length <= name.Length && Has(name.Length - zone.Length) && NameCompare.EqualsIgnoreCaseShort(name.Slice(name.Length - zone.Length), zone);

    /// <summary><see cref="WireNames.InAny"/> without the walks: the root holds every name, without a compare.</summary>
    public readonly bool EndsInAny(ReadOnlySpan<byte> name, byte[][] zones)
    {
        foreach (var z in zones) if (z.Length == 1 || EndsIn(name, z)) return true;
        return false;
    }

    /// <summary>How many labels start before <paramref name="offset"/>: inlined below 64, as <see cref="LastBelow"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int CountBelow(int offset) => (uint)offset < 64 ? BitOperations.PopCount(_bits[0] & ((1UL << offset) - 1)) : CountBelowFar(offset);

    private readonly int CountBelowFar(int offset)
    {
        int count = 0;
        for (int w = 0; w < 4 && offset > 0; w++, offset -= 64)
            count += BitOperations.PopCount(offset >= 64 ? _bits[w] : _bits[w] & ((1UL << offset) - 1));
        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsLetters(ReadOnlySpan<byte> label, ReadOnlySpan<byte> letters)
    {
        for (int i = 0; i < letters.Length; i++) if ((label[i] | 0x20) != letters[i]) return false;
        return true;
    }
}
