using System;
using System.Buffers.Binary;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FastPath.Model.Tables;

namespace FastPath.Runtime;

/// <summary>
/// An IP address as a 128-bit number (IPv4 as ::ffff:a.b.c.d), so keys compare and hash without allocating.
/// </summary>
public static class IpKey
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt128 From(IPAddress address)
    {
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork) return FromIPv6(address);
        // Four bytes into a local and one swap: the client address of every request on a per-request path (YARP's
        // policies). No stackalloc, which would keep the JIT from inlining this.
        uint networkOrder = 0;
        address.TryWriteBytes(MemoryMarshal.AsBytes(new Span<uint>(ref networkOrder)), out _);
        return FromIPv4(BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(networkOrder) : networkOrder);
    }

    private static UInt128 FromIPv6(IPAddress address)
    {
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        return BinaryPrimitives.ReadUInt128BigEndian(b);
    }

    public static UInt128 FromIPv4(uint hostOrder) => ((UInt128)0xffffUL << 32) | hostOrder;

    public static bool IsIPv4(UInt128 key) => key >> 32 == 0xffffUL;

    /// <summary>The address's 32 bits as IPVS's sh scheduler folds them (IPv6: XOR of the four words).</summary>
    public static uint Fold(UInt128 key)
    {
        if (IsIPv4(key)) return (uint)key;
        ulong hi = (ulong)(key >> 64), lo = (ulong)key;
        return (uint)(hi >> 32) ^ (uint)hi ^ (uint)(lo >> 32) ^ (uint)lo;
    }

    public static IPAddress ToAddress(UInt128 key)
    {
        Span<byte> b = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(b, key);
        return IsIPv4(key) ? new IPAddress(b.Slice(12)) : new IPAddress(b);
    }

    public static ulong Hash(UInt128 key, ulong seed = 0) => SplitMix64.Mix(SplitMix64.Mix((ulong)(key >> 64) ^ seed) ^ (ulong)key);
}
