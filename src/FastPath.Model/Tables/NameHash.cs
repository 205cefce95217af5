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

    public static ulong Hash(ReadOnlySpan<byte> name)
    {
        // Two independent lanes take 16 bytes a step, so the multiply chains overlap; the last 8 bytes are read as one
        // (overlapping) load instead of byte by byte. A typical service name is two steps.
        int len = name.Length;
        ulong a = (ulong)len * GoldenRatio, b = 0x7F4A7C159E3779B9UL;
        if (len >= 8)
        {
            int i = 0;
            for (; i + 16 <= len; i += 16)
            {
                a = (a ^ (BinaryPrimitives.ReadUInt64LittleEndian(name.Slice(i)) | Fold)) * GoldenRatio;
                b = (b ^ (BinaryPrimitives.ReadUInt64LittleEndian(name.Slice(i + 8)) | Fold)) * XxPrime2;
            }
            if (i + 8 <= len) { a = (a ^ (BinaryPrimitives.ReadUInt64LittleEndian(name.Slice(i)) | Fold)) * GoldenRatio; i += 8; }
            if (i < len) b = (b ^ (BinaryPrimitives.ReadUInt64LittleEndian(name.Slice(len - 8)) | Fold)) * XxPrime2;
        }
        else
        {
            ulong tail = 0;
            for (int i = 0; i < len; i++) tail |= (ulong)(name[i] | 0x20) << (8 * i);
            b = (b ^ tail) * XxPrime2;
        }
        return SplitMix64.Mix(a ^ (b >> 29) ^ (b << 35));
    }

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
