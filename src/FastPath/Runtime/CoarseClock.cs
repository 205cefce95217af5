using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace FastPath.Runtime;

/// <summary>
/// A monotonic millisecond clock for per-connection expiry checks (persistence templates). Reading
/// <see cref="Environment.TickCount64"/> is a call into the runtime, about 8 ns here: a sixth of what a whole YARP pick
/// may add. This clock is a field that a background thread refreshes every <see cref="ResolutionMilliseconds"/> while
/// it is being read; after a second with no reader the thread ends, and the next read takes the time directly and
/// starts it again. So a value lags <see cref="Environment.TickCount64"/> by at most one resolution (plus however long
/// the thread waits for a core), about the coarse clock's own tick (CLOCK_MONOTONIC_COARSE advances per jiffy, 1–4 ms),
/// and it never runs ahead. A dedicated thread, not a pool timer: a starved thread pool must not stop the clock.
/// </summary>
internal static class CoarseClock
{
    public const int ResolutionMilliseconds = 4;
    private const int IdleStopMilliseconds = 1000;

    private static long _now;
    private static int _running;
    private static int _read;

    /// <summary>Milliseconds on <see cref="Environment.TickCount64"/>'s scale, lagging it by a few at most.</summary>
    public static long Milliseconds
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if (Volatile.Read(ref _running) == 0) return Start();
            // Written only when the thread has cleared it: one cache-line transfer per tick, not one per read.
            if (_read == 0) _read = 1;
            return Volatile.Read(ref _now);
        }
    }

    /// <summary>Whether the refreshing thread runs now (tests).</summary>
    internal static bool IsRunning => Volatile.Read(ref _running) != 0;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long Start()
    {
        long now = Environment.TickCount64;
        // The fresh value is stored before the clock is marked running, so no reader sees "running" with a stale value.
        Volatile.Write(ref _now, now);
        _read = 1;
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
            new Thread(Run) { IsBackground = true, Name = "FastPath coarse clock" }.Start();
        return now;
    }

    private static void Run()
    {
        int idle = 0;
        while (true)
        {
            Thread.Sleep(ResolutionMilliseconds);
            Volatile.Write(ref _now, Environment.TickCount64);
            if (Interlocked.Exchange(ref _read, 0) != 0) { idle = 0; continue; }
            if (++idle * ResolutionMilliseconds < IdleStopMilliseconds) continue;
            Volatile.Write(ref _running, 0);
            // A reader that came in between saw "running" and may keep reading this value: run on for it, unless a
            // reader has already started a new thread (it took _running back first).
            if (Volatile.Read(ref _read) == 0 || Interlocked.CompareExchange(ref _running, 1, 0) != 0) return;
            idle = 0;
        }
    }
}
