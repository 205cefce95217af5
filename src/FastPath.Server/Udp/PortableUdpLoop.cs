using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace FastPath.Server.Udp;

/// <summary>
/// The UDP loop for any OS: .NET's <see cref="Socket"/> with synchronous calls only, so the descriptor stays in
/// blocking mode (one async call would switch it to emulated non-blocking mode for good). Several loops share one
/// socket; buffers and the client address are preallocated per loop, so an answered query allocates nothing.
/// </summary>
internal sealed class PortableUdpLoop(Socket socket, QueryHandler handler) : IUdpLoop, IUdpReplySender
{
    private volatile bool _stopping;

    public IPEndPoint LocalEndPoint => (IPEndPoint)socket.LocalEndPoint!;

    /// <summary>A socket for <paramref name="at"/> that every portable loop of that endpoint shares.</summary>
    public static Socket Open(IPEndPoint at)
    {
        var s = new Socket(at.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (at.AddressFamily == AddressFamily.InterNetworkV6) s.DualMode = true;
        s.ReceiveTimeout = 1000; // a stop is noticed within a second even if closing does not wake the receive
        s.Bind(at);
        return s;
    }

    public void Run(CancellationToken ct)
    {
        var query = new byte[65535];
        var response = new byte[65535];
        var from = new SocketAddress(socket.AddressFamily);
        while (!_stopping)
        {
            int n;
            try { n = socket.ReceiveFrom(query, SocketFlags.None, from); }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) when (_stopping) { return; }
            catch (SocketException) { continue; } // the receive timeout, or an ICMP port-unreachable surfacing as ConnectionReset
            int len = handler.HandleDatagram(query.AsSpan(0, n), response, from.Buffer.Span.Slice(0, from.Size), this, ct);
            if (len <= 0) continue;
            try { socket.SendTo(response.AsSpan(0, len), SocketFlags.None, from); }
            catch (SocketException) { handler.CountSendError(); }
        }
    }

    public void SendTo(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> sockaddr)
    {
        var to = new SocketAddress(socket.AddressFamily, sockaddr.Length);
        sockaddr.CopyTo(to.Buffer.Span);
        try { socket.SendTo(payload, SocketFlags.None, to); }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { handler.CountSendError(); }
    }

    public void Stop()
    {
        _stopping = true;
        socket.Dispose(); // shared by the endpoint's loops: disposing twice is harmless
    }
}
