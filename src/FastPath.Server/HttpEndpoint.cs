using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace FastPath.Server;

/// <summary>
/// One of the health (/health), ready (/ready) and prometheus (/metrics) endpoints: a minimal HTTP/1.1 responder on
/// exactly the address the Corefile gives. It answers GET and HEAD of its one path, 405 for other methods, 404 for
/// other paths, and reads at most <see cref="DnsServerOptions.HttpMaxRequestBytes"/> within
/// <see cref="DnsServerOptions.HttpRequestTimeout"/> before giving up on a client.
/// </summary>
internal sealed class HttpEndpoint : IDisposable
{
    private readonly Socket _listener;
    private readonly string _path;
    private readonly Func<(int Status, string Body)> _respond;
    private readonly DnsServerOptions _options;

    public HttpEndpoint(IPEndPoint at, string path, Func<(int Status, string Body)> respond, DnsServerOptions options)
    {
        _path = path;
        _respond = respond;
        _options = options;
        _listener = new Socket(at.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (at.AddressFamily == AddressFamily.InterNetworkV6 && at.Address.Equals(IPAddress.IPv6Any)) _listener.DualMode = true;
            _listener.Bind(at);
            _listener.Listen(64);
        }
        catch
        {
            _listener.Dispose();
            throw;
        }
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>
    /// The address a plugin argument means, as Go's net.Listen reads it (CoreDNS): ":8080" is every interface (IPv6
    /// and IPv4), "localhost:8080" loopback, "127.0.0.1:8080" and "[::1]:8080" that address only.
    /// </summary>
    public static IPEndPoint Parse(string address)
    {
        int colon = address.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(address.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port) || port > 65535)
            throw new FormatException($"'{address}' must be ADDRESS:PORT or :PORT");
        var host = address.Substring(0, colon);
        if (host.StartsWith('[') && host.EndsWith(']')) host = host.Substring(1, host.Length - 2);
        if (host.Length == 0) return new IPEndPoint(Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, port);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return new IPEndPoint(IPAddress.Loopback, port);
        return IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port)
            : throw new FormatException($"'{address}': the host must be an IP address, 'localhost' or empty (every interface), not '{host}'");
    }

    public async Task RunAsync(CancellationToken ct)
    {
        while (true)
        {
            Socket client;
            try { client = await _listener.AcceptAsync(ct).ConfigureAwait(false); }
            catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException) { return; }
            catch (SocketException) when (ct.IsCancellationRequested) { return; }
            catch (SocketException) { continue; }
            _ = ServeAsync(client, ct);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken ct)
    {
        using var _ = client;
        using var timeout = new CancellationTokenSource(_options.HttpRequestTimeout, _options.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            var buffer = new byte[_options.HttpMaxRequestBytes];
            int used = 0;
            while (HeaderEnd(buffer.AsSpan(0, used)) < 0)
            {
                if (used == buffer.Length) { await Reply(client, 431, "request header too large\n", false, linked.Token).ConfigureAwait(false); return; }
                int n = await client.ReceiveAsync(buffer.AsMemory(used), SocketFlags.None, linked.Token).ConfigureAwait(false);
                if (n == 0) return;
                used += n;
            }
            int lineEnd = buffer.AsSpan(0, used).IndexOfAny((byte)'\r', (byte)'\n');
            var requestLine = Encoding.ASCII.GetString(buffer, 0, lineEnd);
            var parts = requestLine.Split(' ');
            if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
            {
                await Reply(client, 400, "bad request\n", false, linked.Token).ConfigureAwait(false);
                return;
            }
            var path = parts[1];
            int q = path.IndexOf('?');
            if (q >= 0) path = path.Substring(0, q);
            if (path != _path) { await Reply(client, 404, "404 page not found\n", false, linked.Token).ConfigureAwait(false); return; }
            if (parts[0] is not ("GET" or "HEAD")) { await Reply(client, 405, "method not allowed\n", false, linked.Token).ConfigureAwait(false); return; }
            var (status, body) = _respond();
            await Reply(client, status, body, parts[0] == "HEAD", linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // Too slow to send its request: closed, as Go's ReadHeaderTimeout does.
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException) { }
    }

    private static int HeaderEnd(ReadOnlySpan<byte> data) => data.IndexOf("\r\n\r\n"u8) is int i and >= 0 ? i : data.IndexOf("\n\n"u8);

    private static async Task Reply(Socket client, int status, string body, bool head, CancellationToken ct)
    {
        var reason = status switch { 200 => "OK", 400 => "Bad Request", 404 => "Not Found", 405 => "Method Not Allowed", 431 => "Request Header Fields Too Large", 503 => "Service Unavailable", _ => "Error" };
        var allow = status == 405 ? "Allow: GET, HEAD\r\n" : "";
        var text = $"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n{allow}Connection: close\r\n\r\n{(head ? "" : body)}";
        var bytes = Encoding.UTF8.GetBytes(text);
        for (int sent = 0; sent < bytes.Length;)
            sent += await client.SendAsync(bytes.AsMemory(sent), SocketFlags.None, ct).ConfigureAwait(false);
        client.Shutdown(SocketShutdown.Send);
    }

    public void Dispose() => _listener.Dispose();
}
