using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using FastPath.Dns;
using FastPath.Live;
using FastPath.Server.Tcp;
using FastPath.Server.Udp;
using Microsoft.Extensions.Hosting;

namespace FastPath.Server;

/// <summary>
/// A DNS server (UDP and TCP, EDNS0) answering from an <see cref="IClusterSnapshotSource"/>: each query reads the
/// source's current snapshot once, so a new snapshot is picked up by the next query without a pause, and every query
/// is answered SERVFAIL until the source has synced (as CoreDNS's kubernetes plugin does before its first list).
/// It runs the Corefile's serving plugins given in <see cref="DnsServerOptions.Plugins"/>: log, errors, forward, cache,
/// loop, health (with lameduck), ready and prometheus. Start and stop it directly or as an <see cref="IHostedService"/>.
/// </summary>
public sealed class DnsServer : IHostedService, IAsyncDisposable
{
    private readonly IClusterSnapshotSource _source;
    private readonly DnsServerOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<IUdpLoop> _udp = new();
    private readonly List<Thread> _threads = new();
    private readonly List<TcpFront> _tcp = new();
    private readonly List<HttpEndpoint> _http = new();
    private readonly List<Task> _tasks = new();
    private readonly TextWriter _errors;
    private volatile bool _lameduck;
    private int _state; // 0 new, 1 started, 2 stopping or stopped

    public DnsServer(IClusterSnapshotSource source, DnsServerOptions? options = null, TextWriter? errors = null)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _options = options ?? new DnsServerOptions();
        _options.Validate();
        _errors = errors ?? Console.Error;
        var plugins = _options.Plugins;
        var endpoints = _options.EndpointsOrDefault;
        Handler = new QueryHandler(source, _options.Engine, plugins?.Forward?.Policy ?? "random", _errors,
            plugins?.Log is null ? null : _options.QueryLog ?? Console.Out,
            plugins?.Prometheus is null ? null : new ServerMetrics("dns://" + endpoints[0]))
        {
            Cache = plugins?.Cache is { } cache ? new ResponseCache(cache, _options.Time) : null,
            Loop = plugins is { Loop: true, Forward: not null } ? new LoopDetector(_options.Zone) : null,
            Errors = plugins?.Errors is { } errorsPlugin ? new ErrorsPlugin(errorsPlugin, _options.QueryLog ?? Console.Out, _options.Time) : null,
            LastPlugin = plugins?.Forward is not null ? "forward" : "kubernetes",
            StackTraces = plugins?.Errors?.Stacktrace ?? false,
            OnLoop = _options.OnLoop,
            ReferenceDnsIps = _options.ReferenceDnsIps,
        };
    }

    internal QueryHandler Handler { get; }

    /// <summary>The UDP addresses served (with the ports the OS chose for port 0), once started.</summary>
    public IReadOnlyList<IPEndPoint> EndPoints { get; private set; } = [];

    /// <summary>The first served address (the usual single-endpoint case).</summary>
    public IPEndPoint Bound => EndPoints.Count > 0 ? EndPoints[0] : throw new InvalidOperationException("the server has not started");

    /// <summary>The health, ready and metrics listeners by path (/health, /ready, /metrics), once started.</summary>
    public IReadOnlyDictionary<string, IPEndPoint> HttpEndPoints { get; private set; } = new Dictionary<string, IPEndPoint>();

    /// <summary>The UDP transport in use (Batched on Linux unless Portable was asked for).</summary>
    public UdpTransport Transport { get; private set; }

    /// <summary>Responses that could not be sent: counted, not retried.</summary>
    public long SendErrors => Handler.SendErrors;

    /// <summary>TCP connections held now, with a message in hand now, closed by a timeout, and closed to make room at the limit.</summary>
    public (int Held, int Busy, long TimedOut, long Evicted) TcpConnections =>
        (_tcp.Sum(t => t.Count), _tcp.Sum(t => t.Busy), _tcp.Sum(t => t.TimedOut), _tcp.Sum(t => t.Evicted));

    /// <summary>Completes once the server has stopped (after <see cref="StopAsync"/>, or a detected loop).</summary>
    public Task Stopped => _stopped.Task;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Binds every listener (a bind failure throws and nothing is left open), then starts serving.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0) throw new InvalidOperationException("a DnsServer starts once");
        try { Bind(); }
        catch
        {
            Close();
            _state = 2;
            throw;
        }
        var ct = _stop.Token;
        foreach (var loop in _udp)
        {
            var thread = new Thread(() => loop.Run(ct)) { IsBackground = true, Name = "fastpath-udp-" + _threads.Count };
            _threads.Add(thread);
            thread.Start();
        }
        foreach (var tcp in _tcp) _tasks.Add(tcp.AcceptAsync(ct));
        foreach (var http in _http) _tasks.Add(http.RunAsync(ct));
        if (Handler.Loop is not null) _ = ProbeForLoopAfterSync(ct);
        return Task.CompletedTask;
    }

    private void Bind()
    {
        var plugins = _options.Plugins;
        Transport = _options.UdpTransport == UdpTransport.Auto
            ? (OperatingSystem.IsLinux() ? UdpTransport.Batched : UdpTransport.Portable)
            : _options.UdpTransport;
        if (Transport == UdpTransport.Batched && !OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("the batched UDP transport (recvmmsg/sendmmsg) needs Linux; use UdpTransport.Portable");
        var bound = new List<IPEndPoint>();
        foreach (var at in _options.EndpointsOrDefault)
        {
            // Port 0 asks the OS for a free UDP port; the same TCP port may be taken (by anyone's outgoing
            // connection), so then a fresh port is tried.
            for (int attempt = 1; ; attempt++)
            {
                int loops = _udp.Count;
                var actual = BindUdp(at);
                try
                {
                    _tcp.Add(new TcpFront(actual, Handler, _options));
                    bound.Add(actual);
                    break;
                }
                catch (SocketException ex) when (at.Port == 0 && attempt < 10 && ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
                {
                    foreach (var loop in _udp.Skip(loops)) loop.Stop();
                    _udp.RemoveRange(loops, _udp.Count - loops);
                }
            }
        }
        EndPoints = bound;
        Handler.ServerName = bound[0].ToString();
        var http = new Dictionary<string, IPEndPoint>();
        void Add(string path, string address, Func<(int, string)> respond)
        {
            var endpoint = new HttpEndpoint(HttpEndpoint.Parse(address), path, respond, _options);
            _http.Add(endpoint);
            http[path] = endpoint.LocalEndPoint;
        }
        if (plugins?.Health is { } health) Add("/health", health.Address, () => (200, "OK"));
        if (plugins?.Ready is { } ready) Add("/ready", ready.Address, Readiness);
        if (plugins?.Prometheus is { } prometheus && Handler.Metrics is { } metrics) Add("/metrics", prometheus.Address, () => (200, metrics.Render()));
        HttpEndPoints = http;
    }

    /// <summary>The UDP loops of one endpoint; returns the address bound.</summary>
    private IPEndPoint BindUdp(IPEndPoint at)
    {
        if (Transport == UdpTransport.Batched)
        {
            // Port 0: the first socket learns the port, the rest of the SO_REUSEPORT group joins it.
            var actual = at;
            for (int i = 0; i < _options.LoopsPerEndpoint; i++)
            {
                var loop = new BatchedUdpLoop(actual, _options.UdpBatchSize, Handler);
                _udp.Add(loop);
                actual = loop.LocalEndPoint;
            }
            return actual;
        }
        var socket = PortableUdpLoop.Open(at);
        for (int i = 0; i < _options.LoopsPerEndpoint; i++) _udp.Add(new PortableUdpLoop(socket, Handler));
        return (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>200 once the source has synced; 503 naming the plugin before that, and while shutting down.</summary>
    private (int, string) Readiness() =>
        _lameduck ? (503, "shutting down") : _source.IsSynced ? (200, "OK") : (503, "kubernetes");

    /// <summary>
    /// Stops as CoreDNS does on SIGTERM: the lameduck time first (health still 200, ready 503, queries still
    /// answered), then no new queries or connections, then the ones in hand are finished (forwarded queries
    /// answered, TCP messages written; bounded by <paramref name="cancellationToken"/> and the TCP I/O timeout).
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _state, 2) != 1) { await Stopped.ConfigureAwait(false); return; }
        try
        {
            _lameduck = true;
            var lameduck = _options.Lameduck ?? _options.Plugins?.Health?.Lameduck ?? TimeSpan.Zero;
            if (lameduck > TimeSpan.Zero)
            {
                try { await Task.Delay(lameduck, _options.Time, cancellationToken).ConfigureAwait(false); }
                catch (OperationCanceledException) { } // asked to hurry: go straight to draining
            }
            foreach (var loop in _udp) loop.Stop();
            foreach (var tcp in _tcp) tcp.StopAccepting();
            var drained = Task.WhenAll(_tcp.Select(t => t.WhenEmpty()).Append(Handler.WhenIdle()));
            var limit = _options.TcpIoTimeout + TimeSpan.FromSeconds(2); // a started message, or one forward attempt
            try { await drained.WaitAsync(limit, _options.Time, cancellationToken).ConfigureAwait(false); }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException) { } // what is left is cut off below
            foreach (var thread in _threads) thread.Join(TimeSpan.FromSeconds(2));
        }
        finally
        {
            Close();
            _stopped.TrySetResult();
        }
    }

    private void Close()
    {
        _stop.Cancel();
        foreach (var loop in _udp) loop.Stop();
        foreach (var tcp in _tcp) tcp.Dispose();
        foreach (var http in _http) http.Dispose();
        Handler.Errors?.Dispose(); // the errors plugin's pending consolidated counts are written now
    }

    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _state) == 1) await StopAsync().ConfigureAwait(false);
        else Close();
        _stop.Dispose();
    }

    private async Task ProbeForLoopAfterSync(CancellationToken ct)
    {
        try
        {
            await _source.WaitForSyncAsync(ct).ConfigureAwait(false);
            await ProbeForLoop(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    /// <summary>The loop plugin's start-up probe: ask ourselves the random name once; a working upstream answers it, a loop returns it.</summary>
    internal async Task ProbeForLoop(CancellationToken ct)
    {
        var loop = Handler.Loop;
        if (loop is null) return;
        var q = FastPath.Dns.Wire.DnsWireWriter.Query((ushort)Random.Shared.Next(65536), loop.Probe, DnsType.HINFO);
        var to = Bound.Address.Equals(IPAddress.Any) || Bound.Address.Equals(IPAddress.IPv6Any) ? new IPEndPoint(IPAddress.Loopback, Bound.Port) : Bound;
        using var s = new Socket(to.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await s.SendToAsync(q, to, ct).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            var buf = new byte[512];
            await s.ReceiveFromAsync(buf, new IPEndPoint(to.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0), timeout.Token).ConfigureAwait(false);
            loop.Disabled = true; // an answer came back: no loop, and the probe is not needed again
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
    }
}
