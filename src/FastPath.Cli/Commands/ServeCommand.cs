using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using FastPath.Live;
using FastPath.Model;
using FastPath.Model.Corefile;
using FastPath.Model.Diagnostics;
using FastPath.Model.Loading;
using FastPath.Server;

namespace FastPath.Cli.Commands;

/// <summary>
/// <c>fastpath serve</c>: the <see cref="DnsServer"/> library answering from a snapshot of the manifests (built in
/// memory; Roslyn only with <c>--engine compiled</c>), kept current by the Corefile's <c>reload</c> or by
/// <c>--watch</c>; stops on Ctrl-C and SIGTERM after the health plugin's lameduck, draining what is in hand.
/// </summary>
internal static partial class ServeCommand
{
    public const string Usage = "fastpath serve [--manifests DIR]... [--corefile FILE] [--watch] [--listen ADDR:PORT (default: the Corefile's keys and bind)]... [--engine snapshot|compiled|reference] "
        + "[--dns-ip IP]... [--service-cidr CIDR] [--udp-loops N] [--udp-transport auto|batched|portable] [--tcp-max-clients N] [--tcp-idle-timeout MS] [--tcp-io-timeout MS]"
        + " | [--kubeconfig FILE [--context NAME] | --in-cluster] [--namespace NS]... [--selector LABELS]";

    public static int Run(CliArgs args, TextWriter @out, TextWriter err)
    {
        var listenTexts = args.Options("--listen");
        var engine = args.Option("--engine") ?? "snapshot";
        if (engine is not ("snapshot" or "compiled" or "reference")) throw new UsageException($"--engine must be snapshot, compiled or reference, not '{engine}'");
        if (engine == "compiled" && !Engines.RoslynSupported) throw new UsageException(Engines.RoslynUnavailable);
        bool watch = args.Flag("--watch");
        if (watch && engine == "compiled") throw new UsageException("--watch builds snapshots in memory; it does not combine with --engine compiled");
        var dnsIps = args.IpOptions("--dns-ip");
        var options = new DnsServerOptions { Engine = engine == "reference" ? DnsEngineKind.Reference : DnsEngineKind.Snapshot, ReferenceDnsIps = dnsIps.Count > 0 ? dnsIps : null };
        if (args.IntOption("--udp-loops") is int loops) options.UdpLoops = loops;
        if (args.Option("--udp-transport") is { } transport)
            options.UdpTransport = transport switch
            {
                "auto" => UdpTransport.Auto, "batched" => UdpTransport.Batched, "portable" => UdpTransport.Portable,
                _ => throw new UsageException($"--udp-transport must be auto, batched or portable, not '{transport}'"),
            };
        if (args.IntOption("--tcp-max-clients") is int max) options.TcpMaxClients = max;
        if (args.IntOption("--tcp-idle-timeout") is int idle) options.TcpIdleTimeout = TimeSpan.FromMilliseconds(idle);
        if (args.IntOption("--tcp-io-timeout") is int io) options.TcpIoTimeout = TimeSpan.FromMilliseconds(io);
        // FASTPATH_UDP_THREADS predates --udp-loops; the perf script still sets it.
        if (options.UdpLoops == 0 && int.TryParse(Environment.GetEnvironmentVariable("FASTPATH_UDP_THREADS"), out int t) && t > 0) options.UdpLoops = t;
        try { options.Validate(); }
        catch (ArgumentException ex) { throw new UsageException(ex.Message); }

        IClusterSnapshotSource? source = null;
        CorefileConfig? corefile = null;
        CreateKubernetesSource(args, @out, err, ref source, ref corefile);
        ManifestWatcher? watcher = null;
        SnapshotPublisher? publisher = null;
        int services;
        string? contentHash = null;
        FirstLoad? first = null;
        if (source is null)
        {
            ClusterSnapshot? snapshot;
            try
            {
                if ((first = LoadManifests(args, engine, dnsIps, build: !watch, err)) is null) return 1;
                (corefile, services, contentHash, snapshot) = (first.Corefile, first.Services, first.ContentHash, first.Snapshot);
            }
            catch (InvalidOperationException ex) { err.WriteLine("fastpath serve: " + ex.Message); return 1; }
            if (watch)
            {
                var load = new LoadOptions { CorefileText = ReadCorefile(args), CorefilePath = args.Option("--corefile"), ServiceCidr = args.Option("--service-cidr") };
                var live = new LiveCluster(new LiveClusterOptions { Load = load, DnsIps = dnsIps.Count > 0 ? dnsIps : null, Debounce = TimeSpan.FromSeconds(1) }); // the watcher flushes each edit itself, all kinds at once
                watcher = new ManifestWatcher(ClusterInput.Paths(args), live, load, err, TimeProvider.System, TimeSpan.FromMilliseconds(100));
                watcher.Start();
                // Not the model's Service count: reading Cluster would assemble the model (a sort of the whole cluster)
                // on every edit, and keep it, when an incremental snapshot otherwise never builds one.
                live.SnapshotChanged += (_, e) =>
                {
                    var what = e.Change.Full ? "rebuilt whole" : $"{e.Change.Services.Count} services changed";
                    lock (err) err.WriteLine($"[INFO] watch: snapshot {e.Current.Version} ({what}, {e.Current.Dns.NameCount} names)");
                };
                source = live;
            }
            else source = publisher = new SnapshotPublisher(snapshot!);
        }
        else
        {
            args.RejectUnknown();
            services = source.Current?.Cluster?.Services.Count ?? 0;
        }

        var block = corefile?.KubernetesBlock ?? corefile?.ServerBlocks.FirstOrDefault();
        foreach (var text in listenTexts)
        {
            try { options.Endpoints.Add(HttpEndpoint.Parse(text)); }
            catch (FormatException ex) { throw new UsageException("--listen " + ex.Message); }
        }
        // Without --listen, what the Corefile says, as CoreDNS: each block's port on every interface, or its bind lines.
        if (options.Endpoints.Count == 0 && !AddCorefileListeners(corefile, options, err)) return 1;
        options.Plugins = block?.Plugins;
        options.Zone = block?.Keys.FirstOrDefault()?.Zone ?? ".";

        using var stop = new CancellationTokenSource();
        int exit = 0;
        options.OnLoop = message => { lock (err) err.WriteLine(message); exit = 1; stop.Cancel(); };
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stop.Cancel(); });

        var collecting = Stopwatch.StartNew();
        ReturnBuildGarbage();
        var collected = collecting.Elapsed;
        var server = new DnsServer(source, options, err);
        try { server.StartAsync().GetAwaiter().GetResult(); }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or FormatException)
        {
            err.WriteLine($"fastpath serve: cannot listen on {string.Join(", ", options.Endpoints)}: {ex.Message}");
            if (listenTexts.Count == 0 && options.Endpoints.Any(e => e.Port is > 0 and < 1024))
                err.WriteLine("  the Corefile's ports below 1024 need root or CAP_NET_BIND_SERVICE; to try it unprivileged give --listen 127.0.0.1:1053");
            return 1;
        }
        Task? reloader = null;
        if (publisher is not null && block?.Plugins.Reload is { } reload)
            reloader = Task.Run(() => Reloader(args, engine, dnsIps, publisher, contentHash, reload.Interval, err, stop.Token));

        var name = engine == "snapshot" ? "in-memory snapshot" : engine;
        @out.WriteLine($"fastpath serve: {name} engine, {services} services{(watch ? ", watching the manifests" : "")}, listening on {string.Join(", ", server.EndPoints)} (udp {server.Transport.ToString().ToLowerInvariant()}, tcp; {(listenTexts.Count > 0 ? "--listen" : "from the Corefile")})");
        foreach (var (path, at) in server.HttpEndPoints) @out.WriteLine($"  {path} on http://{at}");
        if (first?.Snapshot is not null)
            @out.WriteLine(FormattableString.Invariant($"  started in {(DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds:0.00} s: manifests loaded in {first.Load.TotalSeconds:0.00} s, snapshot built in {first.Build.TotalSeconds:0.00} s, build garbage returned in {collected.TotalSeconds:0.00} s"));
        var b = server.Bound;
        @out.WriteLine($"  try: dig @{(b.Address.Equals(IPAddress.Any) || b.Address.Equals(IPAddress.IPv6Any) ? IPAddress.Loopback : b.Address)} -p {b.Port} my-service.default.svc.cluster.local");
        @out.Flush();
        stop.Token.WaitHandle.WaitOne();
        @out.WriteLine("fastpath serve: stopping (lameduck, then draining)");
        @out.Flush();
        server.StopAsync().GetAwaiter().GetResult();
        watcher?.Dispose();
        (source as IDisposable)?.Dispose();
        @out.WriteLine("fastpath serve: stopped");
        return exit;
    }

    private static bool AddCorefileListeners(CorefileConfig? corefile, DnsServerOptions options, TextWriter err)
    {
        if (corefile is null) { err.WriteLine("fastpath serve: no Corefile was read; give --listen ADDR:PORT"); return false; }
        try
        {
            var endpoints = CorefileListeners.From(corefile, out var skipped);
            foreach (var at in endpoints) options.Endpoints.Add(at);
            foreach (var key in skipped) err.WriteLine($"[WARNING] fastpath serve: {key} is not served: FastPath serves DNS over UDP and TCP only");
        }
        catch (FormatException ex) { err.WriteLine("fastpath serve: " + ex.Message); return false; }
        if (options.Endpoints.Count > 0) return true;
        err.WriteLine("fastpath serve: the Corefile has no dns:// server block to listen for; give --listen ADDR:PORT");
        return false;
    }

    /// <summary>
    /// The seam for other snapshot sources (the API server's watch: <c>--kubeconfig</c>, <c>--in-cluster</c>): a file
    /// that implements this sets <paramref name="source"/> (and the Corefile it serves with) when its options are
    /// given; left unset, the manifests are served.
    /// </summary>
    static partial void CreateKubernetesSource(CliArgs args, TextWriter @out, TextWriter err, ref IClusterSnapshotSource? source, ref CorefileConfig? corefile);

    private static string? ReadCorefile(CliArgs args) => args.Option("--corefile") is { } path && File.Exists(path) ? File.ReadAllText(path) : null;

    /// <summary>
    /// Loading and planning leave a whole build's garbage behind (several times what the snapshot keeps), and the GC
    /// would hold on to those pages until allocation pressure came, which a server answering from a finished snapshot
    /// never makes. One compacting collection that gives the free pages back to the OS takes the resident set down to
    /// what is live; it runs once per snapshot built, not per query.
    /// </summary>
    private static void ReturnBuildGarbage() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    /// <summary>
    /// Loads the manifests and, unless <paramref name="build"/> is false (--watch builds its own), their first snapshot:
    /// null when they have errors (reported). In its own method so that no frame of serve's keeps the model alive once
    /// the snapshot is built: an unoptimized frame (Run runs once, so the JIT never optimizes it) keeps every local to
    /// its end, and the model (~36 MB at 10,000 Services) would stay resident.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static FirstLoad? LoadManifests(
        CliArgs args, string engine, IReadOnlyList<IPAddress> dnsIps, bool build, TextWriter err)
    {
        // Loading and planning allocate several times what they keep. Background collections would run the GC's own
        // thread beside them on the same cores; before the server starts nothing waits on a pause, so they block.
        var latency = GCSettings.LatencyMode;
        GCSettings.LatencyMode = GCLatencyMode.Batch;
        try
        {
            var clock = Stopwatch.StartNew();
            var cluster = ClusterInput.LoadOrReport(args, err);
            args.RejectUnknown();
            if (cluster is null) return null;
            var loaded = clock.Elapsed;
            var snapshot = build ? Build(cluster, engine, dnsIps, 1) : null;
            return new(cluster.Corefile, cluster.Services.Count, cluster.ContentHash, snapshot, loaded, clock.Elapsed - loaded);
        }
        finally { GCSettings.LatencyMode = latency; }
    }

    /// <summary>What serve keeps of the manifests' first load, and how long loading and building took (for the banner).</summary>
    internal sealed record FirstLoad(CorefileConfig Corefile, int Services, string ContentHash, ClusterSnapshot? Snapshot, TimeSpan Load, TimeSpan Build);

    /// <summary>
    /// The snapshot of <paramref name="cluster"/>: its DNS tables built in memory (all a DNS server reads: the model is
    /// not kept), the model with them for the reference engine to interpret, or its DNS compiled by Roslyn (--engine compiled).
    /// </summary>
    private static ClusterSnapshot Build(Cluster cluster, string engine, IReadOnlyList<IPAddress> dnsIps, long version)
    {
        if (engine == "snapshot") return ClusterSnapshot.BuildDns(cluster, dnsIps.Count > 0 ? dnsIps : null, version);
        var snapshot = ClusterSnapshot.Build(cluster, dnsIps.Count > 0 ? dnsIps : null, version);
        if (engine != "compiled") return snapshot;
        var compiled = Engines.Compile(cluster, dnsIps.Count > 0 ? dnsIps : null);
        return new ClusterSnapshot(version, compiled.Dns, snapshot.DataPlane, snapshot.Environment, cluster, snapshot.CreatedAt);
    }

    /// <summary>
    /// The reload plugin: re-reads the manifests and Corefile every interval and publishes a new snapshot when they
    /// changed; an edit with errors keeps the running snapshot and logs its diagnostics.
    /// </summary>
    private static void Reloader(CliArgs args, string engine, IReadOnlyList<IPAddress> dnsIps, SnapshotPublisher publisher, string? hash, TimeSpan interval, TextWriter err, CancellationToken ct)
    {
        var period = interval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : interval;
        if (Environment.GetEnvironmentVariable("FASTPATH_RELOAD_INTERVAL") is { } s && double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double secs))
            period = TimeSpan.FromSeconds(secs); // tests shorten the wait
        long version = publisher.Current?.Version ?? 0;
        while (!ct.WaitHandle.WaitOne(period))
            if (Reload(args, engine, dnsIps, publisher, ref hash, ref version, err))
                ReturnBuildGarbage(); // after Reload returns: its frame no longer holds the new model
    }

    /// <summary>One look at the manifests: true when a new snapshot was published.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static bool Reload(CliArgs args, string engine, IReadOnlyList<IPAddress> dnsIps, SnapshotPublisher publisher, ref string? hash, ref long version, TextWriter err)
    {
        var result = ClusterInput.Load(args);
        if (result.Cluster is null)
        {
            var errors = "error:" + string.Join("|", result.Diagnostics);
            if (result.Diagnostics.Count > 0 && hash != errors)
            {
                lock (err)
                {
                    err.WriteLine("[ERROR] plugin/reload: the new configuration has errors; the running one is kept:");
                    foreach (var d in result.Diagnostics.Where(d => d.IsError)) err.WriteLine("  " + d);
                }
                hash = errors;
            }
            return false;
        }
        if (result.Cluster.ContentHash == hash) return false;
        try
        {
            publisher.Publish(Build(result.Cluster, engine, dnsIps, ++version), SnapshotChange.Everything);
            hash = result.Cluster.ContentHash;
            lock (err) err.WriteLine($"[INFO] plugin/reload: running the new configuration ({result.Cluster.Services.Count} services)");
            return true;
        }
        catch (InvalidOperationException ex) { lock (err) err.WriteLine("[ERROR] plugin/reload: " + ex.Message); return false; }
    }
}
