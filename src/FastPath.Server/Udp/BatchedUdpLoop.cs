using System;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using static FastPath.Server.Udp.LinuxSockets;

namespace FastPath.Server.Udp;

/// <summary>
/// One UDP receive loop on Linux, as Knot DNS runs them: its own blocking SO_REUSEPORT socket, recvmmsg taking up
/// to a batch of datagrams (waiting for the first only), every answer written into a preallocated native buffer, and
/// one sendmmsg for the batch. Nothing is allocated or locked per packet; the only system calls are the two per batch.
/// Forwarded replies come back on other threads and are sent with a plain blocking sendto on the same socket.
/// </summary>
internal sealed unsafe class BatchedUdpLoop : IUdpLoop, IUdpReplySender
{
    private const int BufferSize = 65535;
    private readonly int _fd;
    private readonly int _batch;
    private readonly QueryHandler _handler;
    private int _users = 1; // the owner until Stop; the running loop and each forwarded reply being sent add one, so the descriptor is closed last
    private volatile bool _stopping;

    public BatchedUdpLoop(IPEndPoint at, int batch, QueryHandler handler)
    {
        _fd = OpenReusePort(at, TimeSpan.FromSeconds(1));
        _batch = batch;
        _handler = handler;
        LocalEndPoint = LinuxSockets.LocalEndPoint(_fd, at.AddressFamily);
    }

    public IPEndPoint LocalEndPoint { get; }

    public void Run(CancellationToken ct)
    {
        if (!Acquire()) return; // stopped before it started
        try { Receive(ct); }
        finally { Release(); }
    }

    private void Receive(CancellationToken ct)
    {
        int b = _batch;
        // One block: receive headers, send headers, iovecs, client addresses, then the packet buffers. Pages of the
        // buffers are touched only as far as packets reach, so a loop holds little resident memory.
        nuint headers = (nuint)(2 * b * (sizeof(MMsgHdr) + sizeof(IoVec)) + b * SockaddrSize);
        byte* block = (byte*)NativeMemory.AllocZeroed(headers + (nuint)(2 * b) * BufferSize);
        try
        {
            var rx = (MMsgHdr*)block;
            var tx = rx + b;
            var rxIov = (IoVec*)(tx + b);
            var txIov = rxIov + b;
            byte* names = (byte*)(txIov + b);
            byte* rxBuf = block + headers;
            byte* txBuf = rxBuf + (nuint)b * BufferSize;
            for (int i = 0; i < b; i++)
            {
                rxIov[i].Base = rxBuf + (nuint)i * BufferSize;
                rx[i].Header.Iov = rxIov + i;
                rx[i].Header.IovLength = 1;
                rx[i].Header.Name = names + i * SockaddrSize;
                txIov[i].Base = txBuf + (nuint)i * BufferSize;
                tx[i].Header.Iov = txIov + i;
                tx[i].Header.IovLength = 1;
            }
            while (!_stopping)
            {
                for (int i = 0; i < b; i++)
                {
                    rx[i].Header.NameLength = SockaddrSize;
                    rxIov[i].Length = BufferSize;
                    rx[i].Header.Flags = 0;
                }
                int n = recvmmsg(_fd, rx, (uint)b, MSG_WAITFORONE, null);
                if (n <= 0)
                {
                    if (_stopping) break;
                    if (n < 0 && Marshal.GetLastPInvokeError() is EBADF or ENOTSOCK or EINVAL) break;
                    continue; // EAGAIN (the receive timeout: look at _stopping), EINTR, or an ICMP error surfacing
                }
                int m = 0;
                for (int i = 0; i < n; i++)
                {
                    if ((rx[i].Header.Flags & MSG_TRUNC) != 0) continue; // over 64 KiB: not a DNS query
                    var query = new ReadOnlySpan<byte>(rxIov[i].Base, (int)rx[i].Length);
                    var from = new ReadOnlySpan<byte>(rx[i].Header.Name, (int)rx[i].Header.NameLength);
                    int len = _handler.HandleDatagram(query, new Span<byte>(txIov[m].Base, BufferSize), from, this, ct);
                    if (len <= 0) continue;
                    txIov[m].Length = (nuint)len;
                    tx[m].Header.Name = rx[i].Header.Name;
                    tx[m].Header.NameLength = rx[i].Header.NameLength;
                    m++;
                }
                for (int sent = 0; sent < m;)
                {
                    int r = sendmmsg(_fd, tx + sent, (uint)(m - sent), 0);
                    if (r > 0) { sent += r; continue; }
                    if (r < 0 && Marshal.GetLastPInvokeError() == EINTR) continue;
                    _handler.CountSendError(); // this datagram could not go (the client's port is gone): skip it
                    sent++;
                }
            }
        }
        finally
        {
            NativeMemory.Free(block);
        }
    }

    public void SendTo(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> sockaddr)
    {
        if (!Acquire()) { _handler.CountSendError(); return; } // stopped: the socket is closed
        try
        {
            fixed (byte* p = payload)
            fixed (byte* a = sockaddr)
                if (sendto(_fd, p, (nuint)payload.Length, 0, a, (uint)sockaddr.Length) < 0) _handler.CountSendError();
        }
        finally { Release(); }
    }

    /// <summary>Stops the loop: shutdown wakes a blocked recvmmsg at once (the receive timeout is the backstop).</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        _stopping = true;
        shutdown(_fd, SHUT_RDWR); // on an unconnected UDP socket this reports ENOTCONN but still wakes the reader
        Release(); // the owner's reference: the descriptor closes when the loop and any sender are done
    }

    private int _stopped;

    /// <summary>Takes a reference to the descriptor unless it is already closed.</summary>
    private bool Acquire()
    {
        int users;
        do
        {
            users = Volatile.Read(ref _users);
            if (users == 0) return false;
        }
        while (Interlocked.CompareExchange(ref _users, users + 1, users) != users);
        return true;
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _users) == 0) close(_fd);
    }
}
