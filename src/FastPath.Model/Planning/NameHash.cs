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
        ulong h = (ulong)name.Length * K;
        while (name.Length >= 8)
        {
            h = (h ^ (BinaryPrimitives.ReadUInt64LittleEndian(name) | Fold)) * K;
            h ^= h >> 29;
            name = name.Slice(8);
        }
        if (name.Length > 0)
        {
            ulong tail = 0;
            for (int i = 0; i < name.Length; i++) tail |= (ulong)(name[i] | 0x20) << (8 * i);
            h = (h ^ tail) * K;
            h ^= h >> 29;
        }
        return Mix(h);
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
