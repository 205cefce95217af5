using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using FastPath.Server;
using FastPath.Model;
using FastPath.Model.Corefile;
using FastPath.Model.Net;
using FastPath.Reference.Dns;

namespace FastPath.Cli.Commands;

/// <summary>
/// <c>fastpath serve</c>: a DNS server on loopback answering from the compiled engine (or the reference), with the
/// Corefile's log, health, ready, prometheus, forward and reload plugins; stops cleanly on Ctrl-C and SIGTERM.
/// </summary>
internal static class ServeCommand
{
    public const string Usage = "fastpath serve [--manifests DIR]... [--corefile FILE] [--listen ADDR:PORT] [--engine compiled|reference] [--dns-ip IP]... [--service-cidr CIDR]" +
        " | [--kubeconfig FILE [--context NAME] | --in-cluster] [--namespace NS]... [--selector LABELS]";

    public static int Run(CliArgs args, TextWriter @out, TextWriter err)
    {
        var listenText = args.Option("--listen");
        var engineName = Engines.Parse(args.Option("--engine"));
        var dnsIps = args.IpOptions("--dns-ip");
        using var live = KubernetesSource.Parse(args, err);
        var cluster = live is not null ? live.CorefileCluster(err) : ClusterInput.LoadOrReport(args, err);
        args.RejectUnknown();
        if (cluster is null) return 1;

        var block = cluster.Corefile.KubernetesBlock ?? cluster.Corefile.ServerBlocks.FirstOrDefault();
        int corefilePort = block?.Keys.FirstOrDefault()?.Port ?? 53;
        IPEndPoint listen;
        if (listenText is not null)
        {
            if (!IPEndPoint.TryParse(listenText, out var ep) || ep.Port == 0) throw new UsageException($"--listen must be ADDRESS:PORT, not '{listenText}'");
            listen = ep;
        }
        else listen = new IPEndPoint(IPAddress.Loopback, corefilePort == 53 ? 1053 : corefilePort); // no root needed for 53

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stop.Cancel(); });

        var plugins = block?.Plugins;
        var metrics = plugins?.Prometheus is null ? null : new ServerMetrics("dns://" + listen);
        int exit = 0;
        var server = new DnsServer(listen, @out, plugins?.Log is not null, metrics, plugins?.Forward?.Policy ?? "random")
        {
            Cache = plugins?.Cache is { } cache ? new ResponseCache(cache, TimeProvider.System) : null,
            Loop = plugins?.Loop == true && plugins.Forward is not null ? new LoopDetector(block!.Keys[0].Zone) : null,
            OnLoop = message => { err.WriteLine(message); exit = 1; stop.Cancel(); },
        };
        IDnsEngine engine;
        try { engine = live is not null ? new KubernetesSource.NotSyncedEngine() : Build(cluster, engineName, dnsIps); }
        catch (Exception ex) when (ex is InvalidOperationException) { err.WriteLine("fastpath serve: " + ex.Message); return 1; }
        bool ready = false;
        try { server.Start(engine, stop.Token); }
        catch (System.Net.Sockets.SocketException ex) { err.WriteLine($"fastpath serve: cannot listen on {listen}: {ex.Message}"); return 1; }
        ready = true;
        live?.Start(server, engineName, dnsIps, @out);

        var tasks = new List<Task>();
        string Status() => ready && live?.IsSynced != false ? "OK" : "kubernetes";
        if (plugins?.Health is { } health)
            tasks.Add(new HttpEndpoints(p => p == "/health" ? (200, "OK") : (404, "not found"), err).Run(HttpEndpoints.Parse(health.Address), stop.Token));
        if (plugins?.Ready is { } readyPlugin)
            tasks.Add(new HttpEndpoints(p => p == "/ready" ? (Status() == "OK" ? 200 : 503, Status()) : (404, "not found"), err).Run(HttpEndpoints.Parse(readyPlugin.Address), stop.Token));
        if (plugins?.Prometheus is { } prom && metrics is not null)
            tasks.Add(new HttpEndpoints(p => p == "/metrics" ? (200, metrics.Render()) : (404, "not found"), err).Run(HttpEndpoints.Parse(prom.Address), stop.Token));
        if (plugins?.Reload is { } reload && live is null) // a live cluster's Corefile is its watched ConfigMap
            tasks.Add(Task.Run(() => Reloader(args, cluster, engineName, dnsIps, server, reload.Interval, err, stop.Token)));

        if (server.Loop is not null) tasks.Add(server.ProbeForLoop(stop.Token));
        @out.WriteLine(live is not null
            ? $"fastpath serve: {engineName} engine, following the API server (SERVFAIL until synced), listening on {server.Bound} (udp, tcp)"
            : $"fastpath serve: {engineName} engine, {cluster.Services.Count} services, listening on {server.Bound} (udp, tcp)");
        @out.WriteLine($"  try: dig @{server.Bound.Address} -p {server.Bound.Port} my-service.default.svc.cluster.local");
        @out.WriteLine($"       dig @{server.Bound.Address} -p {server.Bound.Port} _http._tcp.my-service.default.svc.cluster.local SRV");
        @out.WriteLine($"       dig @{server.Bound.Address} -p {server.Bound.Port} my-db.default.svc.cluster.local +tcp");
        @out.Flush();
        stop.Token.WaitHandle.WaitOne();
        @out.WriteLine("fastpath serve: stopped");
        return exit;
    }

    private static IDnsEngine Build(Cluster cluster, string engine, IReadOnlyList<IPAddress> dnsIps) => engine == "reference"
        ? new ReferenceEngine(new ReferenceResolver(cluster, new ReferenceDnsOptions { DnsIPs = dnsIps.Count > 0 ? dnsIps : null }))
        : new CompiledEngine(Engines.Compile(cluster, dnsIps.Count > 0 ? dnsIps : null).Dns);

    /// <summary>
    /// The reload plugin: watches the inputs, recompiles in the background when they change and swaps the engine at
    /// once; an edit with errors keeps the running engine and logs its diagnostics.
    /// </summary>
    private static void Reloader(CliArgs args, Cluster current, string engine, IReadOnlyList<IPAddress> dnsIps, DnsServer server, TimeSpan interval, TextWriter err, CancellationToken ct)
    {
        var period = interval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : interval;
        if (Environment.GetEnvironmentVariable("FASTPATH_RELOAD_INTERVAL") is { } s && double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double secs))
            period = TimeSpan.FromSeconds(secs); // tests shorten the wait
        var hash = current.ContentHash;
        while (!ct.WaitHandle.WaitOne(period))
        {
            var result = ClusterInput.Load(args);
            if (result.Cluster is null)
            {
                if (result.Diagnostics.Count > 0 && hash != "error:" + string.Join("|", result.Diagnostics))
                {
                    err.WriteLine("[ERROR] plugin/reload: the new configuration has errors; the running one is kept:");
                    foreach (var d in result.Diagnostics.Where(d => d.IsError)) err.WriteLine("  " + d);
                    hash = "error:" + string.Join("|", result.Diagnostics);
                }
                continue;
            }
            if (result.Cluster.ContentHash == hash) continue;
            try
            {
                server.Swap(Build(result.Cluster, engine, dnsIps));
                hash = result.Cluster.ContentHash;
                err.WriteLine($"[INFO] plugin/reload: running the new configuration ({result.Cluster.Services.Count} services)");
            }
            catch (InvalidOperationException ex) { err.WriteLine("[ERROR] plugin/reload: " + ex.Message); }
        }
    }
}
