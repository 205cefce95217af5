using System;
using System.Threading;

namespace FastPath.Server;

/// <summary>
/// The loop plugin: at start the server asks itself <c>&lt;random&gt;.&lt;random&gt;.&lt;zone&gt; HINFO</c>; a name
/// that only a forwarding loop can bring back. Seeing the probe more than twice means queries go round in circles,
/// and the server stops, as CoreDNS does.
/// </summary>
internal sealed class LoopDetector(string zone)
{
    public string Probe { get; } = $"{Random.Shared.NextInt64(1, long.MaxValue)}.{Random.Shared.NextInt64(1, long.MaxValue)}.{(zone == "." ? "" : zone)}";
    private int _seen;
    public bool Disabled { get; set; }

    /// <summary>Counts a query for the probe name; true when a loop is certain.</summary>
    public bool Saw(string name) =>
        !Disabled && string.Equals(name.TrimEnd('.') + ".", Probe.TrimEnd('.') + ".", StringComparison.OrdinalIgnoreCase) && Interlocked.Increment(ref _seen) > 2;
}
