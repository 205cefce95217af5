using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FastPath.Compiled;

/// <summary>
/// The compare that confirms a perfect-hash hit, with <see cref="System.Text.Ascii.EqualsIgnoreCase(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>'s
/// answer (same length, same bytes but for the case of ASCII letters, false when a byte is not ASCII). A name of 16 to
/// 32 bytes, which most Service names are, is compared inline as two overlapping 16-byte vectors a side; the general
/// call costs about as much as the compare itself there.
/// </summary>
internal static class NameCompare
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int n = a.Length;
        if (n != b.Length) return false;
        if ((uint)(n - 16) > 16 || !Vector128.IsHardwareAccelerated) return System.Text.Ascii.EqualsIgnoreCase(a, b);
        ref byte pa = ref MemoryMarshal.GetReference(a);
        ref byte pb = ref MemoryMarshal.GetReference(b);
        var a0 = Vector128.LoadUnsafe(ref pa);
        var a1 = Vector128.LoadUnsafe(ref pa, (nuint)(n - 16));
        var b0 = Vector128.LoadUnsafe(ref pb);
        var b1 = Vector128.LoadUnsafe(ref pb, (nuint)(n - 16));
        if (Vector128.ExtractMostSignificantBits(a0 | a1 | b0 | b1) != 0) return false; // a byte that is not ASCII
        return Lower(a0) == Lower(b0) && Lower(a1) == Lower(b1);
    }

    /// <summary>
    /// <see cref="EqualsIgnoreCase"/> for names of any length that are often 8 to 15 bytes (a zone such as
    /// cluster.local): two overlapping 8-byte loads make one vector a side. Kept apart so that the lookup's compare
    /// stays as small as it was.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool EqualsIgnoreCaseShort(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int n = a.Length;
        if (n != b.Length) return false;
        if ((uint)(n - 8) > 7 || !Vector128.IsHardwareAccelerated) return EqualsIgnoreCase(a, b);
        ref byte pa = ref MemoryMarshal.GetReference(a);
        ref byte pb = ref MemoryMarshal.GetReference(b);
        var a8 = Vector128.Create(Unsafe.ReadUnaligned<ulong>(ref pa), Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref pa, n - 8))).AsByte();
        var b8 = Vector128.Create(Unsafe.ReadUnaligned<ulong>(ref pb), Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref pb, n - 8))).AsByte();
        return Vector128.ExtractMostSignificantBits(a8 | b8) == 0 && Lower(a8) == Lower(b8);
    }

    /// <summary>A–Z to a–z, every other byte as it is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Lower(Vector128<byte> v) =>
        v | (Vector128.LessThan(v - Vector128.Create((byte)'A'), Vector128.Create((byte)26)) & Vector128.Create((byte)0x20));
}
