using System;
using System.Buffers.Binary;

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

    public static ulong Hash(ReadOnlySpan<byte> name)
    {
        // Four lanes, each word multiplied by its lane's own odd constant: the multiplies of a name up to 32 bytes are
        // independent of each other, so the hash costs one multiply's latency plus the one in the finaliser (the
        // two-lane chain before cost four: two words a lane, then splitmix64's two). The last word is one overlapping
        // load ending at the name's end, never read byte by byte. Longer names (endpoint and SRV names) take 32 bytes
        // a round.
        int len = name.Length;
        ulong a = (ulong)len * GoldenRatio, b = 0x7F4A7C159E3779B9UL, c = 0, d = 0;
        if (len >= 8)
        {
            int i = 0;
            for (; i + 32 < len; i += 32)
            {
                a = (a ^ Word(name, i)) * GoldenRatio;
                b = (b ^ Word(name, i + 8)) * XxPrime2;
                c = (c ^ Word(name, i + 16)) * XxPrime3;
                d = (d ^ Word(name, i + 24)) * Mix1;
            }
            // 1 to 32 bytes left: whole words from i, and the final 8 bytes (overlapping) in the fourth lane.
            int left = len - i;
            if (left > 8) a = (a ^ Word(name, i)) * GoldenRatio;
            if (left > 16) b = (b ^ Word(name, i + 8)) * XxPrime2;
            if (left > 24) c = (c ^ Word(name, i + 16)) * XxPrime3;
            d = (d ^ Word(name, len - 8)) * Mix1;
        }
        else
        {
            ulong tail = 0;
            for (int i = 0; i < len; i++) tail |= (ulong)(name[i] | 0x20) << (8 * i);
            d = (d ^ tail) * Mix1;
        }
        // One multiply mixes the lanes: its high bits (the bucket) depend on every bit below them, and the xor-shifts
        // bring them down for the slot.
        ulong x = a ^ Rotate(b, 16) ^ Rotate(c, 32) ^ Rotate(d, 48);
        x = (x ^ (x >> 32)) * XxPrime2;
        return x ^ (x >> 29);
    }

    private static ulong Word(ReadOnlySpan<byte> name, int at) => BinaryPrimitives.ReadUInt64LittleEndian(name.Slice(at)) | Fold;

    private static ulong Rotate(ulong v, int by) => (v << by) | (v >> (64 - by));

    /// <summary>
    /// The slot a key takes under its bucket's displacement: the displacement is xor-ed in before one multiply and the
    /// product's high bits are used, so every displacement spreads a bucket's keys anew (h1 + d·h2 could keep two keys
    /// in step for every d on small tables).
    /// </summary>
    public static int Slot(ulong hash, uint displacement, int slotMask) =>
        (int)(((hash ^ (displacement * GoldenRatio)) * XxPrime2) >> 32) & slotMask;

    /// <summary>The bucket comes from the top bits, the slot from the low half (h1) and the bits above it (h2), so the
    /// displacement search sees keys of one bucket spread independently.</summary>
    public static int Bucket(ulong hash, int bucketMask) => (int)(hash >> 46) & bucketMask;
}
