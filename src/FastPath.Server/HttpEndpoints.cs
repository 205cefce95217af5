using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace FastPath.Server;

/// <summary>
/// The health (/health), ready (/ready) and prometheus (/metrics) endpoints: a minimal HTTP/1.1 responder on the
/// address the Corefile gives (":8080" binds loopback here: FastPath serves on this machine only).
/// </summary>
internal sealed class HttpEndpoints(Func<string, (int Status, string Body)> handle, TextWriter log)
{
    public static IPEndPoint Parse(string address)
    {
        int colon = address.LastIndexOf(':');
        var host = colon <= 0 ? "" : address.Substring(0, colon);
        int port = int.Parse(address.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture);
        var ip = host is "" or "localhost" ? IPAddress.Loopback : IPAddress.Parse(host);
        return new IPEndPoint(ip, port);
    }

    public Task Run(IPEndPoint at, CancellationToken ct) => Task.Run(async () =>
    {
        var listener = new TcpListener(at);
        try { listener.Start(); }
        catch (SocketException ex) { log.WriteLine($"[ERROR] cannot listen on {at} for HTTP: {ex.Message}"); return; }
        using var registration = ct.Register(listener.Stop);
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(ct); }
            catch (Exception) when (ct.IsCancellationRequested) { return; }
            _ = Task.Run(() => Serve(client, ct), ct);
        }
    }, ct);

    private async Task Serve(TcpClient client, CancellationToken ct)
    {
        using (client)
        {
            var stream = client.GetStream();
            var buf = new byte[4096];
            int n = await stream.ReadAsync(buf, ct);
            var line = Encoding.ASCII.GetString(buf, 0, n).Split('\n')[0].Split(' ');
            var path = line.Length > 1 ? line[1] : "/";
            var (status, body) = handle(path);
            var text = $"HTTP/1.1 {status} {(status == 200 ? "OK" : status == 404 ? "Not Found" : "Service Unavailable")}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        }
    }
}
