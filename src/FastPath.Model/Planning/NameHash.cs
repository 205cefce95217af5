using System;
using System.Buffers.Binary;

namespace FastPath.Model.Planning;

/// <summary>
/// The hash of a DNS name in wire format, case-insensitive for ASCII letters: bytes are OR-ed with 0x20 (which folds
/// A–Z onto a–z) eight at a time. The build-time planner and the run-time engine call this same code.
/// </summary>
public static class NameHash
{
    private const ulong Fold = 0x2020202020202020UL;
    private const ulong K = 0x9E3779B97F4A7C15UL;

    public static ulong Hash(ReadOnlySpan<byte> name)
    {
        // Two independent lanes take 16 bytes a step, so the multiply chains overlap; a typical service name is 3 steps.
        ulong a = (ulong)name.Length * K, b = 0x7F4A7C159E3779B9UL;
        while (name.Length >= 16)
        {
            a = (a ^ (BinaryPrimitives.ReadUInt64LittleEndian(name) | Fold)) * K;
            b = (b ^ (BinaryPrimitives.ReadUInt64LittleEndian(name.Slice(8)) | Fold)) * 0xC2B2AE3D27D4EB4FUL;
            name = name.Slice(16);
        }
        if (name.Length >= 8)
        {
            a = (a ^ (BinaryPrimitives.ReadUInt64LittleEndian(name) | Fold)) * K;
            name = name.Slice(8);
        }
        if (name.Length > 0)
        {
            ulong tail = 0;
            for (int i = 0; i < name.Length; i++) tail |= (ulong)(name[i] | 0x20) << (8 * i);
            b = (b ^ tail) * 0xC2B2AE3D27D4EB4FUL;
        }
        return Mix(a ^ (b >> 29) ^ (b << 35));
    }

    /// <summary>splitmix64's finaliser.</summary>
    public static ulong Mix(ulong x)
    {
        x ^= x >> 30; x *= 0xbf58476d1ce4e5b9UL;
        x ^= x >> 27; x *= 0x94d049bb133111ebUL;
        return x ^ (x >> 31);
    }

    /// <summary>The slot a key takes under its bucket's displacement (CHD).</summary>
    public static int Slot(ulong hash, uint displacement, int slotMask) => (int)(Mix(hash + displacement * K) & (uint)slotMask);

    public static int Bucket(ulong hash, int bucketMask) => (int)(hash >> 40) & bucketMask;
}
