using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using FastPath.Model.Corefile.Plugins;

namespace FastPath.Server;

/// <summary>Which engine answers: the snapshot's compiled tables (the default) or the reference interpreter.</summary>
public enum DnsEngineKind
{
    /// <summary>The source's snapshot answers (<c>ClusterSnapshot.Dns</c>): in-memory tables, or Roslyn-compiled ones.</summary>
    Snapshot,
    /// <summary>The reference interpreter over the snapshot's model: the specification, slower, for comparison.</summary>
    Reference,
}

/// <summary>How UDP is received and sent.</summary>
public enum UdpTransport
{
    /// <summary><see cref="Batched"/> on Linux, <see cref="Portable"/> elsewhere.</summary>
    Auto,
    /// <summary>Linux: one blocking SO_REUSEPORT socket per loop, recvmmsg/sendmmsg in batches (as Knot DNS does).</summary>
    Batched,
    /// <summary>Any OS: .NET's <see cref="System.Net.Sockets.Socket"/>, synchronous calls on one shared socket.</summary>
    Portable,
}

/// <summary>Options of a <see cref="DnsServer"/>. Defaults follow Knot DNS for TCP limits and CoreDNS for plugins.</summary>
public sealed class DnsServerOptions
{
    /// <summary>Where DNS is served, UDP and TCP on each. Empty means 127.0.0.1:1053.</summary>
    public IList<IPEndPoint> Endpoints { get; } = new List<IPEndPoint>();

    public DnsEngineKind Engine { get; set; } = DnsEngineKind.Snapshot;

    /// <summary>UDP receive loops per endpoint; 0 means one per core.</summary>
    public int UdpLoops { get; set; }

    public UdpTransport UdpTransport { get; set; } = UdpTransport.Auto;

    /// <summary>Datagrams taken per recvmmsg call by the batched transport (Knot's udp batching takes up to 10–64).</summary>
    public int UdpBatchSize { get; set; } = 32;

    /// <summary>
    /// Most TCP connections held at once. When full, the connection nearest its deadline (a slow sender, or the one
    /// idle longest) is closed to make room, so a flood of idle or dribbling connections cannot lock out new clients. Knot's tcp-max-clients defaults to half the descriptor limit;
    /// 1,000 keeps a pod's descriptors and memory (about 1.5 KB per idle connection) small.
    /// </summary>
    public int TcpMaxClients { get; set; } = 1000;

    /// <summary>How long a connection may wait between messages (Knot's tcp-idle-timeout: 10 s).</summary>
    public TimeSpan TcpIdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a started message may take to arrive whole, and a response to be written (Knot's tcp-io-timeout: 500 ms).</summary>
    public TimeSpan TcpIoTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The Corefile's server-block plugins the server runs (log, errors, cache, loop, forward policy, health, ready, prometheus); null for none.</summary>
    public PluginSet? Plugins { get; set; }

    /// <summary>The server block's zone, for the loop plugin's probe name and metrics labels.</summary>
    public string Zone { get; set; } = ".";

    /// <summary>Where the log plugin writes query lines and the errors plugin its errors (CoreDNS's formats); null means standard output.</summary>
    public TextWriter? QueryLog { get; set; }

    /// <summary>The health plugin's lameduck: on stop, keep answering this long before closing (overrides the Corefile's).</summary>
    public TimeSpan? Lameduck { get; set; }

    /// <summary>Largest HTTP request (line and headers) the health, ready and metrics endpoints read.</summary>
    public int HttpMaxRequestBytes { get; set; } = 8192;

    /// <summary>How long the health, ready and metrics endpoints wait for a whole request.</summary>
    public TimeSpan HttpRequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>The DNS server's own addresses, for the reference engine (snapshots are built with their own).</summary>
    public IReadOnlyList<IPAddress>? ReferenceDnsIps { get; set; }

    /// <summary>Called when the loop plugin detects a forwarding loop (CoreDNS exits; the CLI does too).</summary>
    public Action<string>? OnLoop { get; set; }

    internal IReadOnlyList<IPEndPoint> EndpointsOrDefault =>
        Endpoints.Count > 0 ? (IReadOnlyList<IPEndPoint>)Endpoints : [new IPEndPoint(IPAddress.Loopback, 1053)];

    internal int LoopsPerEndpoint => UdpLoops > 0 ? UdpLoops : Math.Max(1, Environment.ProcessorCount);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (UdpLoops < 0) throw new ArgumentException($"UdpLoops must be 0 (one per core) or more, not {UdpLoops}");
        if (UdpBatchSize is < 1 or > 1024) throw new ArgumentException($"UdpBatchSize must be between 1 and 1024, not {UdpBatchSize}");
        if (TcpMaxClients < 1) throw new ArgumentException($"TcpMaxClients must be at least 1, not {TcpMaxClients}");
        if (TcpIdleTimeout <= TimeSpan.Zero) throw new ArgumentException($"TcpIdleTimeout must be positive, not {TcpIdleTimeout}");
        if (TcpIoTimeout <= TimeSpan.Zero) throw new ArgumentException($"TcpIoTimeout must be positive, not {TcpIoTimeout}");
        if (HttpMaxRequestBytes < 64) throw new ArgumentException($"HttpMaxRequestBytes must be at least 64, not {HttpMaxRequestBytes}");
        if (Lameduck < TimeSpan.Zero) throw new ArgumentException($"Lameduck must not be negative, not {Lameduck}");
    }
}
