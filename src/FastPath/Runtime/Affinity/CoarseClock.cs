using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace FastPath.Runtime.Affinity;

/// <summary>
/// A clock read with one load: the source's value as of the last tick of a timer that runs every
/// <see cref="PeriodMilliseconds"/> while someone reads it, as the kernel's jiffies are for IPVS. The system clock itself
/// (<see cref="Environment.TickCount64"/>) is a call into the C library (vDSO <c>clock_gettime</c>); inside a YARP pick
/// that call, and the registers the JIT saves around it, cost about 6 ns more than this field (A/B, thread CPU time).
/// <para>
/// A read is at most one period (plus the thread pool's delay in running the timer) behind the source; expiry works in
/// seconds, so a template lives up to that much past its timeout. The timer stops after a period without reads, so an
/// idle process is not woken; the first read after that takes the source's value directly and starts it again.
/// </para>
/// </summary>
internal sealed class CoarseClock
{
    /// <summary>A hundredth of the shortest timeout Kubernetes accepts (1 s); the kernel's tick is 1–10 ms.</summary>
    public const int PeriodMilliseconds = 10;

    /// <summary>Milliseconds since boot, as <see cref="Environment.TickCount64"/>.</summary>
    public static CoarseClock System { get; } = new(TimeProvider.System, static () => Environment.TickCount64);

    private const int Stopped = 0, Ticked = 1, Read = 2; // Ticked: running, not read since the last tick

    private readonly Func<long> _source;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private long _now;
    private int _state;

    /// <param name="timers">Makes the refresh timer (a fake one in tests).</param>
    /// <param name="source">The clock this one follows.</param>
    public CoarseClock(TimeProvider timers, Func<long> source)
    {
        _source = source;
        // No ExecutionContext captured into a timer that lives as long as the process.
        using (ExecutionContext.SuppressFlow())
            _timer = timers.CreateTimer(static c => ((CoarseClock)c!).Tick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public long Now
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref _state) == Read ? Volatile.Read(ref _now) : Wake();
    }

    /// <summary>The first read since the last tick (marks the period read), or since the timer stopped (restarts it).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private long Wake()
    {
        if (Interlocked.CompareExchange(ref _state, Read, Ticked) == Ticked) return Volatile.Read(ref _now);
        lock (_gate)
        {
            if (_state == Stopped)
            {
                Refresh();
                _timer.Change(TimeSpan.FromMilliseconds(PeriodMilliseconds), TimeSpan.FromMilliseconds(PeriodMilliseconds));
            }
            Volatile.Write(ref _state, Read);
            return _now;
        }
    }

    private void Tick()
    {
        lock (_gate)
        {
            if (_state == Stopped) return; // a tick queued before the timer was stopped
            Refresh();
            // Nobody read during the whole period: stop until the next read.
            if (Interlocked.Exchange(ref _state, Ticked) == Ticked)
            {
                Volatile.Write(ref _state, Stopped);
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }
    }

    // Under the lock; never backwards, so an expiry computed from one read is not moved earlier by the next.
    private void Refresh() => Volatile.Write(ref _now, Math.Max(_now, _source()));
}
