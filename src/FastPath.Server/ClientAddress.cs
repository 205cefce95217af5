using System;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace FastPath.Server;

/// <summary>
/// The client's address as the engines read it (autopath finds the client's pod by it, as CoreDNS reads the request's
/// source address): 4 bytes for IPv4, 16 for IPv6, empty when unknown. An IPv4 client on a dual-stack socket arrives
/// as <c>::ffff:a.b.c.d</c> and is read as the IPv4 address it is, since Pod IPs are written that way.
/// </summary>
internal static class ClientAddress
{
    /// <summary>From a native sockaddr (sockaddr_in: address at 4; sockaddr_in6: address at 8), without allocating.</summary>
    public static ReadOnlySpan<byte> FromSockaddr(ReadOnlySpan<byte> sockaddr)
    {
        if (sockaddr.Length < 2) return default;
        // sa_family is the first 16 bits on Linux and Windows (native byte order); BSDs put a length byte first.
        int family = BitConverter.IsLittleEndian ? sockaddr[0] | sockaddr[1] << 8 : sockaddr[0] << 8 | sockaddr[1];
        if (family == (int)AddressFamily.InterNetwork) // 2 everywhere
            return sockaddr.Length >= 8 ? sockaddr.Slice(4, 4) : default;
        if (family == (OperatingSystem.IsLinux() ? LinuxInet6 : (int)AddressFamily.InterNetworkV6))
            return sockaddr.Length >= 24 ? Unmap(sockaddr.Slice(8, 16)) : default;
        return default;
    }

    /// <summary>From an accepted socket's remote end point (TCP: once per connection).</summary>
    public static byte[] FromEndPoint(EndPoint? remote) =>
        remote is IPEndPoint ip ? Unmap(ip.Address.GetAddressBytes()).ToArray() : [];

    /// <summary>AF_INET6 on Linux (the enum's 23 is Windows' value).</summary>
    private const int LinuxInet6 = 10;

    private static ReadOnlySpan<byte> Unmap(ReadOnlySpan<byte> a) =>
        a.Length == 16 && BinaryPrimitives.ReadInt64LittleEndian(a) == 0 && a[8] == 0 && a[9] == 0 && a[10] == 0xFF && a[11] == 0xFF
            ? a.Slice(12, 4) : a;
}
