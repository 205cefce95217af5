using System;
using System.Diagnostics;
using System.Threading;
using FastPath.Runtime;
using Xunit;

namespace FastPath.Tests.DataPlane;

/// <summary>The clock under test is the real one, so these wait on real time (bounded spins, no fixed sleeps).</summary>
public class CoarseClockTests
{
    [Fact]
    public void Never_runs_ahead_of_the_runtime_clock_and_keeps_moving_while_read()
    {
        long first = CoarseClock.Milliseconds;
        Assert.True(first <= Environment.TickCount64);
        Assert.True(CoarseClock.IsRunning);
        // Reading it keeps it running; its value must follow the runtime clock (a thread that never refreshed it, or
        // one that stopped while read, would leave it at the first value).
        var deadline = Stopwatch.StartNew();
        long now = first;
        while (now < first + 50 && deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            now = CoarseClock.Milliseconds;
            Assert.True(now <= Environment.TickCount64);
            Thread.SpinWait(1000);
        }
        Assert.True(now >= first + 50, $"the clock stayed at {now} (started at {first}) for {deadline.Elapsed}");
    }

    [Fact]
    public void Lags_the_runtime_clock_by_little()
    {
        _ = CoarseClock.Milliseconds; // running
        // Some reads within a few resolutions of the runtime clock; the bound is loose for shared CI machines.
        long best = long.MaxValue;
        for (int i = 0; i < 200 && best > 4 * CoarseClock.ResolutionMilliseconds; i++)
        {
            long coarse = CoarseClock.Milliseconds;
            long lag = Environment.TickCount64 - coarse;
            best = Math.Min(best, lag);
            Thread.SpinWait(20000);
        }
        Assert.InRange(best, 0, 4 * CoarseClock.ResolutionMilliseconds);
    }
}
