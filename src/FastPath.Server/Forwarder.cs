using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace FastPath.Server;

/// <summary>
/// The forward plugin: sends a query to an upstream over UDP (retrying over TCP when the answer is truncated), with
/// CoreDNS's policies (random, round_robin, sequential), a read timeout of 2 s, and the next upstream on failure.
/// Upstreams are addresses (with :port) or a resolv.conf path, whose nameservers are used.
/// </summary>
internal sealed class Forwarder(string policy)
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);
    private int _next;

    public static IReadOnlyList<IPEndPoint> Resolve(IEnumerable<string> upstreams)
    {
        var result = new List<IPEndPoint>();
        foreach (var u in upstreams)
        {
            var text = u.StartsWith("dns://", StringComparison.Ordinal) ? u.Substring(6) : u;
            if (text.StartsWith('/') || text.StartsWith('.'))
            {
                if (!File.Exists(text)) continue;
                foreach (var line in File.ReadAllLines(text))
                {
                    var f = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                    if (f.Length >= 2 && f[0] == "nameserver" && IPAddress.TryParse(f[1], out var ns)) result.Add(new IPEndPoint(ns, 53));
                }
                continue;
            }
            if (IPEndPoint.TryParse(text, out var ep)) result.Add(ep.Port == 0 ? new IPEndPoint(ep.Address, 53) : ep);
        }
        return result;
    }

    /// <summary>
    /// The upstream's response to the query (the same ID); or, when every upstream failed, null and the last failure as
    /// forward returns it to the errors plugin (Go's net error text, or "no healthy proxies" without an upstream).
    /// </summary>
    public async Task<(byte[]? Reply, string? Error)> ForwardAsync(byte[] query, IReadOnlyList<IPEndPoint> upstreams, CancellationToken ct)
    {
        if (upstreams.Count == 0) return (null, "no healthy proxies");
        string? error = null;
        int start = policy switch
        {
            "sequential" => 0,
            "round_robin" => (int)((uint)Interlocked.Increment(ref _next) % (uint)upstreams.Count),
            _ => Random.Shared.Next(upstreams.Count),
        };
        for (int i = 0; i < upstreams.Count; i++)
        {
            var ep = upstreams[(start + i) % upstreams.Count];
            string proto = "udp";
            using var s = new Socket(ep.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                var reply = await UdpAsync(s, query, ep, ct);
                if (reply is not null && reply.Length >= 12 && (reply[2] & 0x02) != 0) { proto = "tcp"; reply = await TcpAsync(query, ep, ct); }
                if (reply is not null) return (reply, null);
                error = $"read {proto} {s.LocalEndPoint}->{ep}: i/o timeout";
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                // This upstream failed: try the next one, as forward does; the last failure is what it returns.
                error = ex is OperationCanceledException ? $"read {proto} {s.LocalEndPoint}->{ep}: i/o timeout"
                    : $"read {proto} {s.LocalEndPoint}->{ep}: {(ex as SocketException)?.SocketErrorCode switch { SocketError.ConnectionRefused or SocketError.ConnectionReset => "read: connection refused", _ => ex.Message }}";
            }
        }
        return (null, error);
    }

    private static async Task<byte[]?> UdpAsync(Socket s, byte[] query, IPEndPoint ep, CancellationToken ct)
    {
        await s.SendToAsync(query, ep, ct);
        var buf = new byte[65535];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ReadTimeout);
        try
        {
            var r = await s.ReceiveFromAsync(buf, new IPEndPoint(ep.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0), timeout.Token);
            return buf.AsSpan(0, r.ReceivedBytes).ToArray();
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { return null; }
    }

    private static async Task<byte[]?> TcpAsync(byte[] query, IPEndPoint ep, CancellationToken ct)
    {
        using var client = new TcpClient(ep.AddressFamily);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ReadTimeout);
        await client.ConnectAsync(ep, timeout.Token);
        var stream = client.GetStream();
        var framed = new byte[query.Length + 2];
        framed[0] = (byte)(query.Length >> 8); framed[1] = (byte)query.Length;
        query.CopyTo(framed, 2);
        await stream.WriteAsync(framed, timeout.Token);
        var len = new byte[2];
        await stream.ReadExactlyAsync(len, timeout.Token);
        var reply = new byte[len[0] << 8 | len[1]];
        await stream.ReadExactlyAsync(reply, timeout.Token);
        return reply;
    }
}
