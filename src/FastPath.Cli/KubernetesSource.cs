using System;
using System.IO;
using System.Linq;
using System.Threading;
using FastPath.Kubernetes;
using FastPath.Live;
using FastPath.Model;
using FastPath.Model.Corefile;
using FastPath.Model.Loading;

namespace FastPath.Cli;

/// <summary>
/// <c>serve --kubeconfig FILE</c> / <c>--in-cluster</c>: follows the API server instead of reading manifests. Until
/// every watched resource is listed the server answers SERVFAIL (as CoreDNS does before its informers sync), then
/// each published snapshot is served as it lands.
/// </summary>
internal sealed class KubernetesSource : IDisposable
{
    private readonly KubernetesClusterSource _source;
    private readonly FastPathKubernetesOptions _options;
    private readonly string? _corefilePath;

    private KubernetesSource(KubernetesClusterSource source, FastPathKubernetesOptions options, string? corefilePath)
    {
        _source = source; _options = options; _corefilePath = corefilePath;
    }

    public bool IsSynced => _source.IsSynced;

    /// <summary>Reads --kubeconfig, --context, --in-cluster, --namespace, --selector; null when neither source option is given.</summary>
    public static KubernetesSource? Parse(CliArgs args, TextWriter err)
    {
        var kubeconfig = args.Option("--kubeconfig");
        bool inCluster = args.Flag("--in-cluster");
        var context = args.Option("--context");
        var namespaces = args.Options("--namespace");
        var selector = args.Option("--selector");
        if (kubeconfig is null && !inCluster)
        {
            if (context is not null || namespaces.Count > 0 || selector is not null) throw new UsageException("--context, --namespace and --selector need --kubeconfig FILE or --in-cluster");
            return null;
        }
        if (kubeconfig is not null && inCluster) throw new UsageException("--kubeconfig and --in-cluster are exclusive");
        if (args.Options("--manifests").Count > 0) throw new UsageException("--manifests and --kubeconfig/--in-cluster are exclusive: serve files or a live cluster");
        if (kubeconfig is not null && !File.Exists(kubeconfig)) throw new UsageException($"--kubeconfig {kubeconfig}: no such file");

        var corefilePath = args.Option("--corefile");
        var dnsIps = args.IpOptions("--dns-ip");
        var options = new FastPathKubernetesOptions
        {
            KubeconfigPath = kubeconfig,
            InCluster = inCluster,
            Context = context,
            LabelSelector = selector,
            DnsIps = dnsIps.Count > 0 ? dnsIps : null,
            // A Corefile file replaces the kube-system/coredns ConfigMap (which is then not watched).
            Load = new LoadOptions { CorefilePath = corefilePath, CorefileText = corefilePath is not null && File.Exists(corefilePath) ? File.ReadAllText(corefilePath) : null, ServiceCidr = args.Option("--service-cidr") },
        };
        foreach (var ns in namespaces) options.Namespaces.Add(ns);
        try
        {
            options.Validate();
            var client = new k8s.Kubernetes(KubernetesClusterSource.Configure(options));
            return new KubernetesSource(new KubernetesClusterSource(options, client, TimeProvider.System, new ConsoleLogger(err)), options, corefilePath);
        }
        catch (Exception ex) when (ex is ArgumentException or k8s.Exceptions.KubeConfigException or k8s.Exceptions.KubernetesClientException or IOException)
        {
            throw new UsageException((inCluster ? "--in-cluster" : "--kubeconfig " + kubeconfig) + ": " + ex.Message);
        }
    }

    /// <summary>
    /// The cluster the server's plugins (listen port, health, ready, log, prometheus) are set up from: the --corefile,
    /// or CoreDNS's default; a coredns ConfigMap read later changes the answers, not the listeners.
    /// </summary>
    public Cluster? CorefileCluster(TextWriter err)
    {
        if (_corefilePath is not null && _options.Load.CorefileText is null) { err.WriteLine($"fastpath serve: --corefile {_corefilePath}: no such file"); return null; }
        var result = ClusterLoader.LoadTexts([], _options.Load with { CorefileText = _options.Load.CorefileText ?? CorefileConfig.Default, CorefilePath = _corefilePath });
        foreach (var d in result.Diagnostics.Where(d => d.IsError)) err.WriteLine(d);
        return result.Cluster;
    }

    /// <summary>
    /// Starts the watches; the server reads <see cref="Source"/> per query and answers SERVFAIL until the first sync.
    /// </summary>
    public IClusterSnapshotSource Start(TextWriter @out)
    {
        int first = 0;
        _source.SnapshotChanged += (_, e) =>
        {
            if (Interlocked.Exchange(ref first, 1) == 0)
            {
                lock (@out) { @out.WriteLine($"fastpath serve: synced with the API server ({e.Current.Cluster?.Services.Count ?? 0} services)"); @out.Flush(); }
            }
        };
        _source.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        return _source;
    }

    public void Dispose() => _source.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>The watcher's log lines, on stderr as the server's own are.</summary>
    private sealed class ConsoleLogger(TextWriter err) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => logLevel >= Microsoft.Extensions.Logging.LogLevel.Information;
        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var level = logLevel switch { Microsoft.Extensions.Logging.LogLevel.Information => "INFO", Microsoft.Extensions.Logging.LogLevel.Warning => "WARNING", _ => "ERROR" };
            lock (err) { err.WriteLine($"[{level}] plugin/kubernetes: {formatter(state, exception)}"); err.Flush(); }
        }
    }
}
