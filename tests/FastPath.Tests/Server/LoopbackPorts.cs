using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace FastPath.Tests.Server;

/// <summary>
/// Ports free on loopback for both UDP and TCP now (taken by the OS, then released for a server under test to bind).
/// A DNS server binds both; a port free for UDP alone may be some TCP connection's local port (the HTTP and API-server
/// tests in the same run make many), which made "address already in use" flakes.
/// </summary>
internal static class LoopbackPorts
{
    public static int[] Free(int count)
    {
        var held = new List<Socket>();
        var ports = new List<int>();
        try
        {
            while (ports.Count < count)
            {
                var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                held.Add(tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                int port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
                var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                held.Add(udp);
                try { udp.Bind(new IPEndPoint(IPAddress.Loopback, port)); }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse) { continue; } // taken for UDP: try another
                ports.Add(port);
            }
            return ports.ToArray();
        }
        finally { foreach (var s in held) s.Dispose(); }
    }
}
