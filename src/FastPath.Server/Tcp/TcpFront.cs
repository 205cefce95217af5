using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace FastPath.Server.Tcp;

/// <summary>
/// DNS over TCP on one address (RFC 7766) with Knot DNS's defences against hostile clients: at most
/// <see cref="DnsServerOptions.TcpMaxClients"/> connections (when full, the one nearest its deadline is closed to make room),
/// an idle timeout between messages and an I/O timeout for a started message. Deadlines are checked by one sweep
/// timer on <see cref="DnsServerOptions.Time"/> rather than a timer per read, so a held connection costs only its
/// socket, a small object and a 2-byte buffer; message buffers are rented while a message is in hand.
/// </summary>
internal sealed class TcpFront : IDisposable
{
    private readonly Socket _listener;
    private readonly QueryHandler _handler;
    private readonly DnsServerOptions _options;
    private readonly TimeProvider _time;
    private readonly HashSet<TcpConnection> _connections = new();
    private readonly object _gate = new();
    private readonly ITimer _sweep;
    private readonly long _idleTicks, _ioTicks;
    private long _timedOut, _evicted;
    private volatile bool _stopping;

    public TcpFront(IPEndPoint at, QueryHandler handler, DnsServerOptions options)
    {
        _handler = handler;
        _options = options;
        _time = options.Time;
        _idleTicks = Ticks(options.TcpIdleTimeout);
        _ioTicks = Ticks(options.TcpIoTimeout);
        _listener = new Socket(at.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (at.AddressFamily == AddressFamily.InterNetworkV6) _listener.DualMode = true;
        _listener.Bind(at);
        _listener.Listen(512);
        // Sweep four times per shortest timeout: a deadline is enforced within a quarter of it.
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, Math.Min(options.TcpIdleTimeout.Ticks, options.TcpIoTimeout.Ticks) / 4));
        _sweep = _time.CreateTimer(_ => Sweep(), null, period, period);
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Connections held now.</summary>
    public int Count { get { lock (_gate) return _connections.Count; } }
    /// <summary>Connections with a message in hand (its first byte has arrived).</summary>
    public int Busy { get { lock (_gate) { int n = 0; foreach (var c in _connections) if (!c.Idle) n++; return n; } } }
    /// <summary>Connections closed for an idle or I/O timeout.</summary>
    public long TimedOut => Interlocked.Read(ref _timedOut);
    /// <summary>Idle connections closed to make room for a new one at the limit.</summary>
    public long Evicted => Interlocked.Read(ref _evicted);

    internal long Now => _time.GetTimestamp();
    internal long IdleDeadline => Now + _idleTicks;
    internal long IoDeadline => Now + _ioTicks;
    internal QueryHandler Handler => _handler;

    public async Task AcceptAsync(CancellationToken ct)
    {
        while (!_stopping)
        {
            Socket client;
            try { client = await _listener.AcceptAsync(ct).ConfigureAwait(false); }
            catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException || _stopping) { return; }
            catch (SocketException) { continue; } // the client reset before we accepted it
            client.NoDelay = true;
            var connection = new TcpConnection(this, client);
            TcpConnection? evict = null;
            lock (_gate)
            {
                if (_stopping) { client.Dispose(); return; }
                if (_connections.Count >= _options.TcpMaxClients) evict = NearestDeadline();
                if (evict is not null) _connections.Remove(evict);
                if (_connections.Count < _options.TcpMaxClients) _connections.Add(connection);
                else connection = null; // every connection is waiting on an upstream: refuse the newcomer instead
            }
            if (evict is not null && evict.Abort()) Interlocked.Increment(ref _evicted);
            if (connection is null) { client.Dispose(); continue; }
            _ = connection.RunAsync(ct);
        }
    }

    /// <summary>
    /// The connection a timeout would close first: a slow sender's started message (500 ms from its first byte) or
    /// the longest-idle client. A connection waiting on an upstream has no deadline and is never chosen.
    /// </summary>
    private TcpConnection? NearestDeadline()
    {
        TcpConnection? nearest = null;
        foreach (var c in _connections)
            if (c.Deadline != long.MaxValue && (nearest is null || c.Deadline < nearest.Deadline)) nearest = c;
        return nearest;
    }

    internal void Closed(TcpConnection connection)
    {
        lock (_gate)
        {
            _connections.Remove(connection);
            if (_stopping && _connections.Count == 0) _empty.TrySetResult();
        }
    }

    private readonly TaskCompletionSource _empty = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when, after <see cref="StopAccepting"/>, the last connection has closed.</summary>
    public Task WhenEmpty() => _empty.Task;

    private void Sweep()
    {
        long now = Now;
        List<TcpConnection>? late = null;
        lock (_gate)
            foreach (var c in _connections)
                if (now > c.Deadline) (late ??= new()).Add(c);
        if (late is null) return;
        foreach (var c in late)
            if (c.Abort()) Interlocked.Increment(ref _timedOut); // a closed one stays listed until its task ends: count it once
    }

    /// <summary>Stops accepting; connections finish the message in hand (the I/O timeout bounds it) and close.</summary>
    public void StopAccepting()
    {
        List<TcpConnection> idle;
        lock (_gate)
        {
            _stopping = true;
            idle = [.. _connections];
            if (idle.Count == 0) _empty.TrySetResult();
        }
        _listener.Dispose();
        foreach (var c in idle) if (c.Idle) c.Abort();
    }

    public void Dispose()
    {
        StopAccepting();
        _sweep.Dispose();
        List<TcpConnection> all;
        lock (_gate) all = [.. _connections];
        foreach (var c in all) c.Abort();
    }

    internal bool Stopping => _stopping;
}
