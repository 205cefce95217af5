using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using FastPath.Dns;
using FastPath.Dns.Wire;
using FastPath.Live;
using FastPath.Reference.Dns;

namespace FastPath.Server;

/// <summary>Sends a datagram to a client from the socket its query came in on (forwarded replies arrive later).</summary>
internal interface IUdpReplySender
{
    /// <param name="sockaddr">The client's address as the kernel gave it (a native sockaddr).</param>
    void SendTo(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> sockaddr);
}

/// <summary>
/// One query in, one response out, whatever the transport: reads the source's current snapshot once, answers from
/// it (SERVFAIL before the first sync, as CoreDNS's kubernetes plugin does), applies EDNS0, and hands names the
/// forward plugin takes to loop → cache → forward. Transports call this; it keeps no per-query state of its own.
/// </summary>
internal sealed class QueryHandler
{
    /// <summary>Returned by <see cref="Respond"/> when the forward plugin takes the query.</summary>
    public const int Forwarded = -2;

    private readonly IClusterSnapshotSource _source;
    private readonly bool _reference;
    private readonly Forwarder _forwarder;
    private readonly TextWriter? _log;
    private readonly TextWriter _errors;
    private long _sendErrors, _inflight;
    private volatile ReferencePair? _referenceEngine;

    public QueryHandler(IClusterSnapshotSource source, DnsEngineKind engine, string forwardPolicy, TextWriter errors, TextWriter? queryLog, ServerMetrics? metrics)
    {
        _source = source;
        _reference = engine == DnsEngineKind.Reference;
        _forwarder = new Forwarder(forwardPolicy);
        _errors = errors;
        _log = queryLog;
        Metrics = metrics;
    }

    public ResponseCache? Cache { get; init; }
    /// <summary>The errors plugin: logs the errors plugins return (null: not in the server block, nothing is logged).</summary>
    public ErrorsPlugin? Errors { get; init; }
    /// <summary>
    /// The plugin whose NextOrFailure answers SERVFAIL when no plugin takes a name (forward when it is in the block and
    /// leaves the name, else kubernetes): CoreDNS returns "plugin/NAME: no next plugin found" for it.
    /// </summary>
    public string LastPlugin { get; init; } = "kubernetes";
    /// <summary>The errors plugin's stacktrace: a recovered fault is logged with its stack.</summary>
    public bool StackTraces { get; init; }
    public LoopDetector? Loop { get; init; }
    public Action<string>? OnLoop { get; init; }
    public ServerMetrics? Metrics { get; }
    /// <summary>The DNS server's own addresses for the reference engine (the snapshot was built with its own).</summary>
    public IReadOnlyList<IPAddress>? ReferenceDnsIps { get; init; }
    /// <summary>The address the loop plugin names in its message.</summary>
    public string ServerName { get; set; } = "";

    /// <summary>Responses that could not be sent (the client's port closed, a full buffer): counted, not retried.</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);
    public void CountSendError() => Interlocked.Increment(ref _sendErrors);

    /// <summary>Forwarded queries not yet answered (a stop waits for them).</summary>
    public long InFlight => Interlocked.Read(ref _inflight);

    /// <summary>
    /// Writes the response to <paramref name="query"/>: its length, -1 to drop, or <see cref="Forwarded"/> with the
    /// upstreams to ask. Over UDP the client's EDNS0 size (or 512) bounds the answer; over TCP the buffer does.
    /// <paramref name="client"/> is the client's address (4 or 16 bytes, empty when unknown): autopath reads it.
    /// </summary>
    public int Respond(ReadOnlySpan<byte> query, Span<byte> response, bool tcp, out IReadOnlyList<string>? upstreams) =>
        Respond(query, response, tcp, default, out upstreams);

    /// <inheritdoc cref="Respond(ReadOnlySpan{byte}, Span{byte}, bool, out IReadOnlyList{string}?)"/>
    public int Respond(ReadOnlySpan<byte> query, Span<byte> response, bool tcp, ReadOnlySpan<byte> client, out IReadOnlyList<string>? upstreams)
    {
        upstreams = null;
        int qend = DnsWire.QuestionEnd(query);
        int version = 0, edns = qend > 0 ? Edns.ClientPayloadSize(query, qend, out version) : 0;
        int limit = tcp ? response.Length - (edns > 0 ? 11 : 0)
            : edns > 0 ? Math.Min(Math.Max(edns, 512), response.Length) - 11 : Math.Min(512, response.Length);
        var snapshot = _source.Current; // the one read per query: a publish in between is seen by the next one
        int len;
        // Before the first sync nothing can be denied; and a snapshot compiled at build time carries no model for the
        // reference engine to interpret: SERVFAIL either way, never a crash of the receive loop.
        if (snapshot is null || (_reference && snapshot.Cluster is null)) len = NotSynced(query, response);
        else
        {
            DnsOutcome outcome;
            try
            {
                if (_reference) len = ReferenceFor(snapshot).Respond(query, response.Slice(0, limit), client, out outcome, out upstreams);
                else
                {
                    len = snapshot.Dns.Respond(query, response.Slice(0, limit), client, out outcome, out int route);
                    if (outcome == DnsOutcome.Forward) upstreams = snapshot.Dns.UpstreamsOf(route);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // CoreDNS's ServeDNS recovers a panicking plugin: logged (with the stack under errors' stacktrace),
                // answered SERVFAIL, and the server keeps serving. An engine that throws is a bug; this keeps it visible.
                lock (_errors) _errors.WriteLine($"[ERROR] Recovered from panic in server: \"dns://{ServerName}\" {ex.Message}{(StackTraces ? "\n" + ex : "")}");
                outcome = DnsOutcome.Answered;
                upstreams = null;
                len = NotSynced(query, response); // SERVFAIL with the question, as errorAndMetricsFunc answers
            }
            if (outcome == DnsOutcome.Forward) return Forwarded;
            upstreams = null;
            if (Errors is not null && len >= 4 && (response[3] & 0xF) == (int)Rcode.ServFail)
                ReportError(query, (int)Rcode.ServFail, $"plugin/{LastPlugin}: no next plugin found");
        }
        // Drops and refusals are counted by reason; NOERROR and NXDOMAIN answers skip the check (only a refusal can be malformed).
        if (Metrics is not null && (len < 0 || (len >= 4 && (response[3] & 0xF) is not (0 or 3)))) Metrics.Malformed(query);
        if (len > 0 && edns > 0 && Edns.ResponseTakesOpt(response, version)) len = Edns.AppendOpt(response, len);
        return len;
    }

    /// <summary>
    /// A datagram from <paramref name="sockaddr"/>: the response length to send now from the same socket, or -1 when
    /// there is nothing to send now (dropped, or forwarded: <paramref name="sender"/> sends that reply later).
    /// </summary>
    public int HandleDatagram(ReadOnlySpan<byte> query, Span<byte> response, ReadOnlySpan<byte> sockaddr, IUdpReplySender sender, CancellationToken ct)
    {
        long started = Metrics is null && _log is null ? 0 : Stopwatch.GetTimestamp();
        int len = Respond(query, response, tcp: false, ClientAddress.FromSockaddr(sockaddr), out var upstreams);
        if (len == Forwarded)
        {
            _ = ForwardUdp(query.ToArray(), sockaddr.ToArray(), upstreams!, sender, ct);
            return -1;
        }
        if (len > 0 && started != 0) Account(false, query, response, len, started, sockaddr);
        return len;
    }

    private async Task ForwardUdp(byte[] query, byte[] sockaddr, IReadOnlyList<string> upstreams, IUdpReplySender sender, CancellationToken ct)
    {
        Interlocked.Increment(ref _inflight);
        try
        {
            long started = Stopwatch.GetTimestamp();
            var reply = await ForwardAsync(query, upstreams, ct).ConfigureAwait(false);
            if (reply is null) return;
            // A synchronous send from the listening socket: an async one would switch .NET's socket to emulated
            // non-blocking mode for good, and every later receive would pay epoll and yields.
            sender.SendTo(reply, sockaddr);
            Account(false, query, reply, reply.Length, started, sockaddr);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        finally
        {
            if (Interlocked.Decrement(ref _inflight) == 0) Volatile.Read(ref _idle)?.TrySetResult();
        }
    }

    private TaskCompletionSource? _idle;

    /// <summary>Completes when no forwarded UDP query is waiting for its upstream (a stop drains them).</summary>
    public Task WhenIdle()
    {
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _idle, idle);
        if (InFlight == 0) idle.TrySetResult();
        return idle.Task;
    }

    /// <summary>loop, then cache, then forward: the plugins a forwarded name passes through, in CoreDNS's order.</summary>
    public async Task<byte[]?> ForwardAsync(byte[] query, IReadOnlyList<string> upstreams, CancellationToken ct)
    {
        if (Loop is not null)
        {
            var sb = new System.Text.StringBuilder();
            int p = 12;
            DnsWireReader.ReadName(query, ref p, sb);
            if (Loop.Saw(sb.ToString()))
            {
                OnLoop?.Invoke($"[FATAL] plugin/loop: Loop ({ServerName} -> {ServerName}) detected for zone \".\", see https://coredns.io/plugins/loop#troubleshooting. Query: \"HINFO {Loop.Probe}\"");
                return null;
            }
        }
        if (Cache?.Get(query) is { } cached) return cached;
        var (reply, error) = await _forwarder.ForwardAsync(query, Forwarder.Resolve(upstreams), ct).ConfigureAwait(false);
        if (reply is null)
        {
            ReportError(query, (int)Rcode.ServFail, error!);
            return ServFail(query);
        }
        Cache?.Put(query, reply);
        return reply;
    }

    /// <summary>Hands an error to the errors plugin with the query's name and type, as its log line names them.</summary>
    private void ReportError(ReadOnlySpan<byte> query, int rcode, string error)
    {
        if (Errors is null) return;
        int end = DnsWire.QuestionEnd(query);
        if (end == 0) return;
        var name = new System.Text.StringBuilder();
        int p = 12;
        DnsWireReader.ReadName(query, ref p, name); // fully qualified, as CoreDNS's state.Name()
        Errors.Report(rcode, name.ToString(), DnsNaming.TypeText((DnsType)BinaryPrimitives.ReadUInt16BigEndian(query.Slice(end - 4))), error);
    }

    private IDnsEngine ReferenceFor(ClusterSnapshot snapshot)
    {
        var pair = _referenceEngine;
        if (pair is not null && ReferenceEquals(pair.Snapshot, snapshot)) return pair.Engine;
        pair = new ReferencePair(snapshot, new ReferenceEngine(new ReferenceResolver(snapshot.Cluster!, new ReferenceDnsOptions { DnsIPs = ReferenceDnsIps })));
        _referenceEngine = pair; // built once per snapshot; a race builds it twice, harmlessly
        return pair.Engine;
    }

    private sealed record ReferencePair(ClusterSnapshot Snapshot, IDnsEngine Engine);

    /// <summary>
    /// SERVFAIL with the question echoed: the cluster is not known yet, so no name can be denied. What is refused
    /// before any plugin runs (FORMERR, NOTIMP, REFUSED for a class, BADVERS) is refused alike before the sync.
    /// </summary>
    private static int NotSynced(ReadOnlySpan<byte> query, Span<byte> response)
    {
        var verdict = DnsWireReader.CheckQuery(query, out int nameEnd, out _, out _, out _);
        if (verdict == QueryVerdict.Drop) return -1;
        if (verdict != QueryVerdict.Answer) return DnsResponseHeader.Reject(query, response, verdict, nameEnd);
        return DnsResponseHeader.Write(query, response, Rcode.ServFail, authoritative: false, questionEnd: nameEnd + 4);
    }

    private static byte[] ServFail(byte[] query)
    {
        int end = DnsWire.QuestionEnd(query);
        var r = new byte[Math.Max(12, end)];
        query.AsSpan(0, r.Length).CopyTo(r);
        r[2] = (byte)(0x80 | (query[2] & 0x79));
        r[3] = (byte)Rcode.ServFail;
        r.AsSpan(6, 6).Clear();
        return r;
    }

    public void Account(bool tcp, ReadOnlySpan<byte> query, ReadOnlySpan<byte> response, int len, long started, ReadOnlySpan<byte> sockaddr)
    {
        if (Metrics is null && _log is null) return;
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        int end = DnsWire.QuestionEnd(query);
        var type = end > 0 ? (DnsType)BinaryPrimitives.ReadUInt16BigEndian(query.Slice(end - 4)) : 0;
        int rcode = len >= 4 ? response[3] & 0xF : 2;
        Metrics?.Record(tcp, type, rcode, seconds);
        if (_log is not null) LogQuery(tcp, query, response, len, end, type, rcode, seconds, sockaddr);
    }

    /// <summary>CoreDNS's log format: {remote}:{port} - {>id} "{type} {class} {name} {proto} {size} {>do} {>bufsize}" {rcode} {>rflags} {rsize} {duration}.</summary>
    private void LogQuery(bool tcp, ReadOnlySpan<byte> query, ReadOnlySpan<byte> response, int len, int end, DnsType type, int rcode, double seconds, ReadOnlySpan<byte> sockaddr)
    {
        var sb = new System.Text.StringBuilder();
        int p = 12;
        if (end > 0) DnsWireReader.ReadName(query, ref p, sb);
        var remote = sockaddr.IsEmpty ? "tcp" : RemoteText(sockaddr);
        var flags = new List<string> { "qr" };
        if (len > 2 && (response[2] & 0x04) != 0) flags.Add("aa");
        if (len > 2 && (response[2] & 0x02) != 0) flags.Add("tc");
        if (len > 2 && (response[2] & 0x01) != 0) flags.Add("rd");
        var line = $"[INFO] {remote} - {BinaryPrimitives.ReadUInt16BigEndian(query)} \"{DnsNaming.TypeText(type)} IN {sb} {(tcp ? "tcp" : "udp")} {query.Length} false 512\" {DnsNaming.RcodeText((Rcode)rcode)} {string.Join(",", flags)} {len} {seconds.ToString("0.000000000", System.Globalization.CultureInfo.InvariantCulture)}s";
        lock (_log!) _log.WriteLine(line);
    }

    /// <summary>The client's address as text, from a native sockaddr (log lines only).</summary>
    internal static string RemoteText(ReadOnlySpan<byte> sockaddr)
    {
        var family = sockaddr.Length >= 28 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        var a = new SocketAddress(family, sockaddr.Length);
        sockaddr.CopyTo(a.Buffer.Span);
        var any = family == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        return any.Create(a).ToString() ?? "?";
    }
}

/// <summary>Small wire helpers the server needs before it hands a query to an engine.</summary>
internal static class DnsWire
{
    /// <summary>Where the single question ends, or 0 when the message has none or it is malformed.</summary>
    public static int QuestionEnd(ReadOnlySpan<byte> q) =>
        DnsWireReader.ReadQuestion(q, out int nameEnd, out _, out _) == WireError.None ? nameEnd + 4 : 0;
}
