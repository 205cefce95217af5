using System;
using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace FastPath.Server.Tcp;

/// <summary>
/// One client's length-prefixed messages, answered in turn. While it waits for a message it holds only its socket,
/// this object and a 2-byte buffer; a message's buffers are rented from the pool and returned after the answer.
/// <see cref="Deadline"/> is the time by which it must make progress: the idle timeout while waiting for a message,
/// the I/O timeout once its first byte has arrived and while the answer is written.
/// </summary>
internal sealed class TcpConnection(TcpFront front, Socket socket)
{
    private const int MaxMessage = 65535;
    private readonly byte[] _length = new byte[2];
    /// <summary>The client's address as autopath reads it (once per connection).</summary>
    private readonly byte[] _client = ClientAddress.FromEndPoint(socket.RemoteEndPoint);
    private long _deadline = long.MaxValue;
    private volatile bool _idle = true;

    public long Deadline => Volatile.Read(ref _deadline);
    /// <summary>Waiting between messages (nothing of a message in hand).</summary>
    public bool Idle => _idle;

    private int _aborted;

    /// <summary>Closes the connection (a pending receive or send ends at once); true only for the first call.</summary>
    public bool Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0) return false;
        socket.Dispose();
        return true;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        var handler = front.Handler;
        byte[]? query = null, response = null;
        try
        {
            while (!front.Stopping)
            {
                Volatile.Write(ref _deadline, front.IdleDeadline);
                _idle = true;
                int got = await socket.ReceiveAsync(_length.AsMemory(0, 2), SocketFlags.None, ct).ConfigureAwait(false);
                if (got == 0) return;
                _idle = false;
                Volatile.Write(ref _deadline, front.IoDeadline); // the whole message must now arrive within the I/O timeout
                if (got == 1 && !await ReadExactly(_length.AsMemory(1, 1), ct).ConfigureAwait(false)) return;
                int len = _length[0] << 8 | _length[1];
                if (len == 0) return; // a zero-length message: nothing to answer, and no client sends one in good faith
                query = ArrayPool<byte>.Shared.Rent(len);
                if (!await ReadExactly(query.AsMemory(0, len), ct).ConfigureAwait(false)) return;
                response = ArrayPool<byte>.Shared.Rent(MaxMessage + 2);
                long started = Stopwatch.GetTimestamp();
                int n = handler.Respond(query.AsSpan(0, len), response.AsSpan(2, MaxMessage), tcp: true, _client, out var upstreams);
                if (n == QueryHandler.Forwarded)
                {
                    // The upstream's time is not the client's: no deadline while it is asked (forward's own timeout bounds it).
                    Volatile.Write(ref _deadline, long.MaxValue);
                    var reply = await handler.ForwardAsync(query.AsSpan(0, len).ToArray(), upstreams!, ct).ConfigureAwait(false);
                    if (reply is null) return;
                    Volatile.Write(ref _deadline, front.IoDeadline);
                    n = Math.Min(reply.Length, MaxMessage);
                    reply.AsSpan(0, n).CopyTo(response.AsSpan(2));
                }
                if (n > 0)
                {
                    response[0] = (byte)(n >> 8);
                    response[1] = (byte)n;
                    for (int sent = 0; sent < n + 2;)
                        sent += await socket.SendAsync(response.AsMemory(sent, n + 2 - sent), SocketFlags.None, ct).ConfigureAwait(false);
                    handler.Account(true, query.AsSpan(0, len), response.AsSpan(2), n, started, default);
                }
                Return(ref query);
                Return(ref response);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away, or a deadline or a stop closed the socket: the connection simply ends.
        }
        finally
        {
            Return(ref query);
            Return(ref response);
            socket.Dispose();
            front.Closed(this);
        }
    }

    private async ValueTask<bool> ReadExactly(Memory<byte> buffer, CancellationToken ct)
    {
        while (buffer.Length > 0)
        {
            int got = await socket.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
            if (got == 0) return false;
            buffer = buffer.Slice(got);
        }
        return true;
    }

    private static void Return(ref byte[]? buffer)
    {
        if (buffer is null) return;
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = null;
    }
}
