using System;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace FastPath.Server.Udp;

/// <summary>
/// The few libc socket calls the batched UDP path needs (Linux, 64- and 32-bit): a descriptor .NET never sees, so
/// it stays blocking, and recvmmsg/sendmmsg to move many datagrams per system call.
/// </summary>
internal static unsafe partial class LinuxSockets
{
    public const int AF_INET = 2, AF_INET6 = 10, SOCK_DGRAM = 2, SOCK_CLOEXEC = 0x80000;
    public const int SOL_SOCKET = 1, SO_REUSEPORT = 15, SO_RCVTIMEO = 20, IPPROTO_IPV6 = 41, IPV6_V6ONLY = 26;
    public const int MSG_TRUNC = 0x20, MSG_WAITFORONE = 0x10000, SHUT_RDWR = 2;
    public const int EINTR = 4, EBADF = 9, EAGAIN = 11, EINVAL = 22, ENOTSOCK = 88;
    /// <summary>Room for any sockaddr (sockaddr_storage).</summary>
    public const int SockaddrSize = 128;

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public byte* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeVal
    {
        public nint Seconds;
        public nint Microseconds;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setsockopt(int fd, int level, int name, void* value, uint length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int bind(int fd, byte* address, uint length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getsockname(int fd, byte* address, uint* length);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int recvmmsg(int fd, MMsgHdr* messages, uint count, int flags, void* timeout);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int sendmmsg(int fd, MMsgHdr* messages, uint count, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint sendto(int fd, byte* buffer, nuint length, int flags, byte* address, uint addressLength);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int shutdown(int fd, int how);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    /// <summary>
    /// A blocking UDP socket bound to <paramref name="at"/> in a SO_REUSEPORT group (the kernel spreads datagrams
    /// over the group's sockets by flow), with a receive timeout so a loop notices a stop even if nothing arrives.
    /// </summary>
    public static int OpenReusePort(IPEndPoint at, TimeSpan receiveTimeout)
    {
        bool v6 = at.AddressFamily == AddressFamily.InterNetworkV6;
        int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) throw Error("socket");
        try
        {
            int one = 1;
            if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(int)) != 0) throw Error("setsockopt(SO_REUSEPORT)");
            // "[::]:53" serves IPv6 and IPv4 alike, as Go's listener (and so CoreDNS) does.
            int v6only = 0;
            if (v6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(int)) != 0) throw Error("setsockopt(IPV6_V6ONLY)");
            var tv = new TimeVal { Seconds = (nint)receiveTimeout.TotalSeconds, Microseconds = receiveTimeout.Milliseconds * 1000 };
            if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, (uint)sizeof(TimeVal)) != 0) throw Error("setsockopt(SO_RCVTIMEO)");
            var address = at.Serialize(); // .NET's SocketAddress holds the native sockaddr layout
            var bytes = address.Buffer.Span.Slice(0, address.Size);
            fixed (byte* p = bytes)
                if (bind(fd, p, (uint)bytes.Length) != 0) throw Error($"bind {at}");
            return fd;
        }
        catch
        {
            close(fd);
            throw;
        }
    }

    public static IPEndPoint LocalEndPoint(int fd, AddressFamily family)
    {
        var address = new SocketAddress(family, SockaddrSize);
        uint length = SockaddrSize;
        fixed (byte* p = address.Buffer.Span)
            if (getsockname(fd, p, &length) != 0) throw Error("getsockname");
        address.Size = (int)length;
        var any = family == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        return (IPEndPoint)any.Create(address);
    }

    public static SocketException Error(string call)
    {
        int errno = Marshal.GetLastPInvokeError();
        var code = errno switch { 98 => SocketError.AddressAlreadyInUse, 13 => SocketError.AccessDenied, 99 => SocketError.AddressNotAvailable, _ => SocketError.SocketError };
        return new SocketException((int)code, $"{call}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }
}
