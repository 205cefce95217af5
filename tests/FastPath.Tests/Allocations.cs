using System;

namespace FastPath.Tests;

/// <summary>Measures what a hot path allocates on this thread.</summary>
internal static class Allocations
{
    /// <summary>
    /// Bytes allocated by the second of two runs of <paramref name="run"/>. The first run absorbs what the runtime does
    /// once on this thread (on-stack replacement of the loop compiles here and may run a type's static constructor),
    /// so the second shows only what the code under test allocates per call.
    /// </summary>
    public static long OfSecondRun(Action run)
    {
        run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        run();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
