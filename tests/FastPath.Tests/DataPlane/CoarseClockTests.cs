using System;
using FastPath.Runtime.Affinity;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FastPath.Tests.DataPlane;

public class CoarseClockTests
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(CoarseClock.PeriodMilliseconds);

    [Fact]
    public void A_read_sees_the_source_as_of_the_last_tick_and_the_first_read_after_idle_sees_it_now()
    {
        var timers = new FakeTimeProvider();
        long source = 100;
        int sourceReads = 0;
        var clock = new CoarseClock(timers, () => { sourceReads++; return source; });

        Assert.Equal(100, clock.Now); // the first read takes the source and starts the timer
        source = 105;
        Assert.Equal(100, clock.Now); // no tick yet: the value of the last one
        timers.Advance(Period);
        Assert.Equal(105, clock.Now);

        // A period without reads stops the timer: no more ticks, the source is not read.
        timers.Advance(Period);
        timers.Advance(Period);
        int readsWhenStopped = sourceReads;
        timers.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(readsWhenStopped, sourceReads);

        source = 5_200;
        Assert.Equal(5_200, clock.Now); // stopped: the read takes the source directly and restarts the ticks
        source = 5_210;
        timers.Advance(Period);
        Assert.Equal(5_210, clock.Now);
    }

    [Fact]
    public void The_clock_never_goes_backwards_when_its_source_does()
    {
        var timers = new FakeTimeProvider();
        long source = 1_000;
        var clock = new CoarseClock(timers, () => source);
        Assert.Equal(1_000, clock.Now);
        source = 990;
        timers.Advance(Period);
        Assert.Equal(1_000, clock.Now);
    }

    [Fact]
    public void The_system_clock_follows_TickCount64_in_milliseconds()
    {
        long before = Environment.TickCount64;
        long now = CoarseClock.System.Now;
        long after = Environment.TickCount64;
        // Behind by at most a period plus the thread pool's delay in running the timer (generous on a loaded machine).
        Assert.InRange(now, before - 10_000, after);
    }
}
