using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace FastPath.Compiled.Plugins;

/// <summary>
/// Where a wire name's labels start, as a set of offsets (a name is at most 255 bytes), found in one walk. autopath
/// asks the same name several questions (which zone it ends in, whether the search suffix follows its base, how many
/// labels stand before the zone, whether one is <c>pod</c>); each would otherwise walk the labels again, one dependent
/// load per label.
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

    /// <summary>Whether the starts were found (every name's first label starts at 0): a default value is not yet walked.</summary>
    public readonly bool Known => _bits[0] != 0;

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

    /// <summary>How many labels start before <paramref name="offset"/>.</summary>
    public readonly int CountBelow(int offset)
    {
        int count = 0;
        for (int w = 0; w < 4 && offset > 0; w++, offset -= 64)
            count += BitOperations.PopCount(offset >= 64 ? _bits[w] : _bits[w] & ((1UL << offset) - 1));
        return count;
    }

    /// <summary>
    /// Whether some label of the name is <paramref name="letters"/> in any case. It must be lower-case ASCII letters:
    /// then setting a byte's 0x20 bit gives the letter exactly when the byte is that letter in either case, and the
    /// compare needs no call.
    /// </summary>
    public readonly bool HasLabel(ReadOnlySpan<byte> name, ReadOnlySpan<byte> letters)
    {
        for (int w = 0; w < 4; w++)
            for (ulong bits = _bits[w]; bits != 0; bits &= bits - 1)
            {
                int p = (w << 6) + BitOperations.TrailingZeroCount(bits);
                if (name[p] == letters.Length && IsLetters(name.Slice(p + 1, letters.Length), letters)) return true;
            }
        return false;
    }

    private static bool IsLetters(ReadOnlySpan<byte> label, ReadOnlySpan<byte> letters)
    {
        for (int i = 0; i < letters.Length; i++) if ((label[i] | 0x20) != letters[i]) return false;
        return true;
    }
}
