using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using FastPath.Live;
using FastPath.Server;
using Xunit;

namespace FastPath.Tests.Server;

/// <summary>
/// Starts real <see cref="DnsServer"/>s on loopback (random ports) and stops them all when the test ends; asks them
/// with plain sockets, as any DNS client does.
/// </summary>
public abstract class ServeHarness : IAsyncLifetime
{
    private readonly List<DnsServer> _servers = new();

    /// <summary>A server answering from <paramref name="source"/>, with the plugins of the cluster's Corefile unless configured otherwise.</summary>
    internal DnsServer Start(IClusterSnapshotSource source, Action<DnsServerOptions>? configure = null)
    {
        var options = new DnsServerOptions { UdpLoops = 2, QueryLog = System.IO.TextWriter.Null };
        options.Endpoints.Add(new IPEndPoint(IPAddress.Loopback, 0));
        var block = source.Current?.Cluster?.Corefile.KubernetesBlock;
        options.Plugins = block?.Plugins;
        options.Zone = block?.Keys[0].Zone ?? ".";
        configure?.Invoke(options);
        var server = new DnsServer(source, options, System.IO.TextWriter.Null);
        server.StartAsync().GetAwaiter().GetResult();
        lock (_servers) _servers.Add(server);
        return server;
    }

    internal DnsServer Start(Model.Cluster cluster, Action<DnsServerOptions>? configure = null) =>
        Start(new SnapshotPublisher(ClusterSnapshot.Build(cluster)), configure);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        List<DnsServer> servers;
        lock (_servers) servers = [.. _servers];
        foreach (var s in servers) await s.DisposeAsync();
    }

    internal static byte[] Udp(IPEndPoint at, byte[] query, int timeoutMs = 5000)
    {
        using var s = new Socket(at.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = timeoutMs };
        s.SendTo(query, at);
        var buf = new byte[65535];
        int n = s.Receive(buf);
        return buf.AsSpan(0, n).ToArray();
    }

    internal static byte[] Tcp(IPEndPoint at, byte[] query)
    {
        using var c = new TcpClient();
        c.Connect(at);
        return TcpAsk(c.Client, query);
    }

    /// <summary>One length-prefixed query on an open connection, and its response.</summary>
    internal static byte[] TcpAsk(Socket socket, byte[] query)
    {
        socket.ReceiveTimeout = 5000;
        socket.Send([(byte)(query.Length >> 8), (byte)query.Length, .. query]);
        var len = ReceiveExactly(socket, 2);
        return ReceiveExactly(socket, len[0] << 8 | len[1]);
    }

    internal static byte[] ReceiveExactly(Socket socket, int count)
    {
        var buf = new byte[count];
        for (int got = 0; got < count;)
        {
            int n = socket.Receive(buf, got, count - got, SocketFlags.None);
            if (n == 0) throw new Xunit.Sdk.XunitException($"the server closed the connection after {got} of {count} bytes");
            got += n;
        }
        return buf;
    }

    /// <summary>True when the server has closed <paramref name="socket"/> (a read returns end of stream or a reset).</summary>
    internal static bool ClosedByServer(Socket socket, int timeoutMs = 5000)
    {
        socket.ReceiveTimeout = timeoutMs;
        try { return socket.Receive(new byte[16]) == 0; }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset) { return true; }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.TimedOut) { return false; }
    }

    /// <summary>A raw HTTP/1.1 exchange: the status line and body.</summary>
    internal static (int Status, string Text) Http(IPEndPoint at, string request)
    {
        using var c = new Socket(at.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        c.Connect(at);
        c.Send(Encoding.ASCII.GetBytes(request));
        var all = new List<byte>();
        var buf = new byte[4096];
        int n;
        while ((n = c.Receive(buf)) > 0) all.AddRange(buf.AsSpan(0, n).ToArray());
        var text = Encoding.UTF8.GetString(all.ToArray());
        var status = int.Parse(text.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, text);
    }
}
