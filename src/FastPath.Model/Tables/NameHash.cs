using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastPath.Model.Tables;

/// <summary>
/// The hash of a DNS name in wire format, case-insensitive for ASCII letters: bytes are OR-ed with 0x20 (which folds
/// A–Z onto a–z) eight at a time. The build-time planner and the run-time engine call this same code.
/// </summary>
public static class NameHash
{
    private const ulong Fold = 0x2020202020202020UL;
    /// <summary>2^64 / φ, the odd multiplier of Fibonacci hashing: the first lane's (and the displacement's) mixer.</summary>
    private const ulong GoldenRatio = 0x9E3779B97F4A7C15UL;
    /// <summary>xxHash64's PRIME64_2: the second lane's (and the slot's) mixer, independent of the first.</summary>
    private const ulong XxPrime2 = 0xC2B2AE3D27D4EB4FUL;

    /// <summary>Odd multipliers for the third and fourth words (from xxHash64's and splitmix64's constants).</summary>
    private const ulong XxPrime3 = 0x165667B19E3779F9UL, Mix1 = 0xBF58476D1CE4E5B9UL;

    private const ulong Seed = 0x7F4A7C159E3779B9UL;

    /// <summary>
    /// Names of 8 to 32 bytes (a Service's name in its zone, dotted or wire) are hashed inline in the caller: a call and
    /// its frame cost about what the hash does. Shorter and longer names take <see cref="HashOther"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Hash(ReadOnlySpan<byte> name) =>
        (uint)(name.Length - 8) <= 24 ? Last32(name, 0, (ulong)name.Length * GoldenRatio, Seed, 0, 0) : HashOther(name);

    // Four lanes, each word multiplied by its lane's own odd constant: the multiplies of a name up to 32 bytes are
    // independent of each other, so the hash costs one multiply's latency plus the one in the finaliser (the two-lane
    // chain before cost four: two words a lane, then splitmix64's two). The last word is one overlapping load ending at
    // the name's end, never read byte by byte. Longer names (endpoint and SRV names) take 32 bytes a round.
    private static ulong HashOther(ReadOnlySpan<byte> name)
    {
        int len = name.Length;
        ulong a = (ulong)len * GoldenRatio, b = Seed, c = 0, d = 0;
        if (len < 8)
        {
            ulong tail = 0;
            for (int k = 0; k < len; k++) tail |= (ulong)(name[k] | 0x20) << (8 * k);
            return Finish(a, b, c, (d ^ tail) * Mix1);
        }
        int i = 0;
        for (; i + 32 < len; i += 32)
        {
            a = (a ^ Word(name, i)) * GoldenRatio;
            b = (b ^ Word(name, i + 8)) * XxPrime2;
            c = (c ^ Word(name, i + 16)) * XxPrime3;
            d = (d ^ Word(name, i + 24)) * Mix1;
        }
        return Last32(name, i, a, b, c, d);
    }

    /// <summary>The last 1 to 32 bytes from <paramref name="i"/> (the name is at least 8 long): whole words from
    /// <paramref name="i"/>, and the final 8 bytes (overlapping) in the fourth lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Last32(ReadOnlySpan<byte> name, int i, ulong a, ulong b, ulong c, ulong d)
    {
        int left = name.Length - i;
        if (left > 8) a = (a ^ Word(name, i)) * GoldenRatio;
        if (left > 16) b = (b ^ Word(name, i + 8)) * XxPrime2;
        if (left > 24) c = (c ^ Word(name, i + 16)) * XxPrime3;
        return Finish(a, b, c, (d ^ Word(name, name.Length - 8)) * Mix1);
    }

    /// <summary>One multiply mixes the lanes: its high bits (the bucket) depend on every bit below them, and the
    /// xor-shifts bring them down for the slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Finish(ulong a, ulong b, ulong c, ulong d)
    {
        ulong x = a ^ Rotate(b, 16) ^ Rotate(c, 32) ^ Rotate(d, 48);
        x = (x ^ (x >> 32)) * XxPrime2;
        return x ^ (x >> 29);
    }

    /// <summary>8 bytes from <paramref name="at"/>, case folded; every caller has <c>at + 8 &lt;= name.Length</c>, so
    /// the read skips the span's checks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Word(ReadOnlySpan<byte> name, int at)
    {
        ulong v = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetReference(name), at));
        return (BitConverter.IsLittleEndian ? v : BinaryPrimitives.ReverseEndianness(v)) | Fold;
    }

    private static ulong Rotate(ulong v, int by) => (v << by) | (v >> (64 - by));

    /// <summary>
    /// The slot a key takes under its bucket's displacement: the displacement is xor-ed in before one multiply and the
    /// product's high bits are used, so every displacement spreads a bucket's keys anew (h1 + d·h2 could keep two keys
    /// in step for every d on small tables).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Slot(ulong hash, uint displacement, int slotMask) =>
        (int)(((hash ^ (displacement * GoldenRatio)) * XxPrime2) >> 32) & slotMask;

    /// <summary>The bucket comes from the top bits, the slot from the low half (h1) and the bits above it (h2), so the
    /// displacement search sees keys of one bucket spread independently.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Bucket(ulong hash, int bucketMask) => (int)(hash >> 46) & bucketMask;
}
