using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using FastPath.Dns;
using FastPath.Reference.Dns;

namespace FastPath.Server;

/// <summary>
/// DNS over UDP and TCP (RFC 1035, RFC 7766) on one address. UDP is served by one synchronous receive loop per
/// core with preallocated buffers and socket addresses, so a query answered by the compiled engine allocates
/// nothing; TCP serves each connection's length-prefixed messages in turn. Forwarded names go to the upstreams
/// asynchronously. The engine can be swapped at any time (reload).
/// </summary>
internal sealed class DnsServer(IPEndPoint at, TextWriter log, bool logQueries, ServerMetrics? metrics, string forwardPolicy)
{
    /// <summary>The cache plugin, for forwarded answers; null without it.</summary>
    public ResponseCache? Cache { get; init; }
    /// <summary>The loop plugin; <see cref="OnLoop"/> is told when a forwarding loop is detected.</summary>
    public LoopDetector? Loop { get; init; }
    public Action<string>? OnLoop { get; init; }

    private volatile IDnsEngine _engine = null!;
    private long _sendErrors;

    /// <summary>Responses that could not be sent (the client's port closed, a full buffer): counted, not retried.</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);
    private readonly Forwarder _forwarder = new(forwardPolicy, log);
    private Socket? _udp;
    private TcpListener? _tcp;

    public IPEndPoint Bound { get; private set; } = null!;

    public void Swap(IDnsEngine engine) => _engine = engine;

    public void Start(IDnsEngine engine, CancellationToken ct)
    {
        _engine = engine;
        _udp = new Socket(at.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _udp.Bind(at);
        Bound = (IPEndPoint)_udp.LocalEndPoint!;
        _tcp = new TcpListener(Bound.Address, Bound.Port);
        _tcp.Start();
        ct.Register(() => { _udp.Close(); _tcp.Stop(); });
        // One receive loop per core by default; FASTPATH_UDP_THREADS overrides (on a machine shared with the load
        // generator, fewer loops contend less).
        int loops = int.TryParse(Environment.GetEnvironmentVariable("FASTPATH_UDP_THREADS"), out int t) && t > 0 ? t : Math.Max(1, Environment.ProcessorCount);
        for (int i = 0; i < loops; i++)
            new Thread(() => UdpLoop(ct)) { IsBackground = true, Name = "fastpath-udp-" + i }.Start();
        _ = Task.Run(() => TcpAccept(ct), ct);
    }

    private void UdpLoop(CancellationToken ct)
    {
        var query = new byte[65535];
        var response = new byte[65535];
        var from = new SocketAddress(_udp!.AddressFamily);
        while (!ct.IsCancellationRequested)
        {
            int n;
            try { n = _udp.ReceiveFrom(query, SocketFlags.None, from); }
            catch (SocketException) when (ct.IsCancellationRequested) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { continue; } // e.g. an ICMP port-unreachable surfacing as ConnectionReset: keep serving
            long started = Stopwatch.GetTimestamp();
            var q = query.AsSpan(0, n);
            // The question and its EDNS0 size are read once: the limit for the answer and whether to add our OPT.
            int qend = DnsWire.QuestionEnd(q);
            int edns = qend > 0 ? Edns.ClientPayloadSize(q, qend) : 0;
            int limit = edns > 0 ? Math.Min(Math.Max(edns, 512), response.Length) - 11 : 512;
            int len = _engine.Respond(q, response.AsSpan(0, limit), out var outcome, out var upstreams);
            if (len < 0) continue; // not worth an answer (too short for an ID, or itself a response)
            if (outcome == DnsOutcome.Forward)
            {
                var copy = q.ToArray();
                var to = new SocketAddress(from.Family, from.Size);
                from.Buffer.CopyTo(to.Buffer);
                _ = ForwardUdp(copy, to, upstreams, ct);
                continue;
            }
            if (edns > 0) len = Edns.AppendOpt(response, len);
            try { _udp.SendTo(response.AsSpan(0, len), SocketFlags.None, from); }
            catch (SocketException) { Interlocked.Increment(ref _sendErrors); }
            Account(false, q, response, len, started, from);
        }
    }

    private static bool HasOpt(ReadOnlySpan<byte> q) => q.Length >= 12 && DnsWire.QuestionEnd(q) is int e && e > 0 && Edns.ClientPayloadSize(q, e) > 0;

    private async Task ForwardUdp(byte[] query, SocketAddress to, IReadOnlyList<string> upstreams, CancellationToken ct)
    {
        var response = await Forward(query, upstreams, ct);
        if (response is null) return;
        try { await _udp!.SendToAsync(response, SocketFlags.None, to, ct); }
        catch (SocketException) { Interlocked.Increment(ref _sendErrors); }
    }

    /// <summary>loop, then cache, then forward: the plugins a forwarded name passes through, in CoreDNS's order.</summary>
    private async Task<byte[]?> Forward(byte[] query, IReadOnlyList<string> upstreams, CancellationToken ct)
    {
        if (Loop is not null)
        {
            var sb = new System.Text.StringBuilder();
            int p = 12;
            FastPath.Dns.Wire.DnsWireReader.ReadName(query, ref p, sb);
            if (Loop.Saw(sb.ToString()))
            {
                OnLoop?.Invoke($"[FATAL] plugin/loop: Loop ({Bound} -> {Bound}) detected for zone \".\", see https://coredns.io/plugins/loop#troubleshooting. Query: \"HINFO {Loop.Probe}\"");
                return null;
            }
        }
        if (Cache?.Get(query) is { } cached) return cached;
        var reply = await _forwarder.ForwardAsync(query, Forwarder.Resolve(upstreams), ct);
        if (reply is null) return ServFail(query);
        Cache?.Put(query, reply);
        return reply;
    }

    /// <summary>The loop plugin's start-up probe: ask ourselves the random name once; a working upstream answers it, a loop returns it.</summary>
    public async Task ProbeForLoop(CancellationToken ct)
    {
        if (Loop is null) return;
        var q = FastPath.Dns.Wire.DnsWireWriter.Query((ushort)Random.Shared.Next(65536), Loop.Probe, DnsType.HINFO);
        using var s = new Socket(Bound.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await s.SendToAsync(q, Bound, ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            var buf = new byte[512];
            await s.ReceiveFromAsync(buf, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
            Loop.Disabled = true; // an answer came back: no loop, and the probe is not needed again
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
    }

    private static byte[] ServFail(byte[] query)
    {
        int end = DnsWire.QuestionEnd(query);
        var r = new byte[Math.Max(12, end)];
        FastPath.Dns.Wire.DnsResponseHeader.Write(query, r, Rcode.ServFail, authoritative: false, questionEnd: r.Length);
        return r;
    }

    private async Task TcpAccept(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _tcp!.AcceptTcpClientAsync(ct); }
            catch (Exception) when (ct.IsCancellationRequested) { return; }
            catch (SocketException) { continue; }
            _ = Task.Run(() => TcpConnection(client, ct), ct);
        }
    }

    /// <summary>Length-prefixed messages, answered in turn, until the client closes or idles for 10 s (RFC 7766).</summary>
    private async Task TcpConnection(TcpClient client, CancellationToken ct)
    {
        using (client)
        {
            var stream = client.GetStream();
            var len = new byte[2];
            var response = new byte[65535 + 2];
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    idle.CancelAfter(TimeSpan.FromSeconds(10));
                    await stream.ReadExactlyAsync(len, idle.Token);
                    var query = new byte[len[0] << 8 | len[1]];
                    await stream.ReadExactlyAsync(query, idle.Token);
                    long started = Stopwatch.GetTimestamp();
                    int n = _engine.Respond(query, response.AsSpan(2, 65535), out var outcome, out var upstreams);
                    if (n < 0) continue;
                    byte[] payload;
                    if (outcome == DnsOutcome.Forward)
                    {
                        var forwarded = await Forward(query, upstreams, ct);
                        if (forwarded is null) return;
                        payload = forwarded;
                    }
                    else
                    {
                        if (HasOpt(query)) n = Edns.AppendOpt(response.AsSpan(2), n);
                        payload = response.AsSpan(2, n).ToArray();
                    }
                    var framed = new byte[payload.Length + 2];
                    framed[0] = (byte)(payload.Length >> 8); framed[1] = (byte)payload.Length;
                    payload.CopyTo(framed, 2);
                    await stream.WriteAsync(framed, ct);
                    Account(true, query, payload, payload.Length, started, null);
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or EndOfStreamException) { }
        }
    }

    private void Account(bool tcp, ReadOnlySpan<byte> query, ReadOnlySpan<byte> response, int len, long started, SocketAddress? from)
    {
        if (metrics is null && !logQueries) return;
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        int end = DnsWire.QuestionEnd(query);
        var type = end > 0 ? (DnsType)BinaryPrimitives.ReadUInt16BigEndian(query.Slice(end - 4)) : 0;
        int rcode = len >= 4 ? response[3] & 0xF : 2;
        metrics?.Record(tcp, type, rcode, seconds);
        if (logQueries) LogQuery(tcp, query, response, len, end, type, rcode, seconds, from);
    }

    /// <summary>CoreDNS's log format: {remote}:{port} - {>id} "{type} {class} {name} {proto} {size} {>do} {>bufsize}" {rcode} {>rflags} {rsize} {duration}.</summary>
    private void LogQuery(bool tcp, ReadOnlySpan<byte> query, ReadOnlySpan<byte> response, int len, int end, DnsType type, int rcode, double seconds, SocketAddress? from)
    {
        var sb = new System.Text.StringBuilder();
        int p = 12;
        if (end > 0) FastPath.Dns.Wire.DnsWireReader.ReadName(query, ref p, sb);
        var remote = from is null ? "tcp" : IPEndPointFrom(from);
        var flags = new List<string> { "qr" };
        if (len > 2 && (response[2] & 0x04) != 0) flags.Add("aa");
        if (len > 2 && (response[2] & 0x02) != 0) flags.Add("tc");
        if (len > 2 && (response[2] & 0x01) != 0) flags.Add("rd");
        log.WriteLine($"[INFO] {remote} - {BinaryPrimitives.ReadUInt16BigEndian(query)} \"{DnsNaming.TypeText(type)} IN {sb} {(tcp ? "tcp" : "udp")} {query.Length} false 512\" {DnsNaming.RcodeText((Rcode)rcode)} {string.Join(",", flags)} {len} {seconds.ToString("0.000000000", System.Globalization.CultureInfo.InvariantCulture)}s");
    }

    private string IPEndPointFrom(SocketAddress a) => (Bound.Create(a) as IPEndPoint)?.ToString() ?? "?";
}

/// <summary>Small wire helpers the server needs before it hands a query to an engine.</summary>
internal static class DnsWire
{
    /// <summary>Where the single question ends, or 0 when the message has none or it is malformed.</summary>
    public static int QuestionEnd(ReadOnlySpan<byte> q) =>
        FastPath.Dns.Wire.DnsWireReader.ReadQuestion(q, out int nameEnd, out _, out _) == FastPath.Dns.Wire.WireError.None ? nameEnd + 4 : 0;
}
