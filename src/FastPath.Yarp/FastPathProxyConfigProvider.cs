using System;
using System.Collections.Generic;
using System.Threading;
using FastPath.Diagnostics;
using FastPath.Live;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace FastPath.Yarp;

/// <summary>
/// YARP's configuration from the current snapshot. The config's change token is the snapshot source's, so YARP
/// reloads exactly when a new snapshot is published (no polling) and applies it before the next request is routed.
/// </summary>
internal sealed partial class FastPathProxyConfigProvider : IProxyConfigProvider
{
    private readonly IClusterSnapshotSource source;
    private readonly IOptions<FastPathYarpOptions> options;
    private readonly ILogger<FastPathProxyConfigProvider> logger;
    private Config? _last;

    public FastPathProxyConfigProvider(IClusterSnapshotSource source, IOptions<FastPathYarpOptions> options,
        ILogger<FastPathProxyConfigProvider> logger, FastPathMetrics metrics)
    {
        this.source = source;
        this.options = options;
        this.logger = logger;
        metrics.ObserveSource(source, FastPathProxyMetrics.Integration);
    }

    public IProxyConfig GetConfig()
    {
        // Token first: a snapshot published while we build fires it and YARP asks again.
        var token = source.GetChangeToken();
        var snapshot = source.Current;
        if (snapshot is null) return new Config(-1, [], [], token); // not synced: nothing routed yet, YARP waits for the token
        var last = Volatile.Read(ref _last);
        if (last is not null && last.Version == snapshot.Version) return last with { ChangeToken = token };
        var built = ProxyConfigBuilder.Build(snapshot, options.Value);
        foreach (var problem in built.Problems) Log.Problem(logger, problem, snapshot.Version);
        Log.Built(logger, built.Clusters.Count, snapshot.Version);
        FastPathLog.SnapshotInUse(logger, FastPathProxyMetrics.Integration, snapshot.Version);
        var config = new Config(snapshot.Version, built.Routes, built.Clusters, token);
        Volatile.Write(ref _last, config);
        return config;
    }

    private sealed record Config(long Version, IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters, IChangeToken ChangeToken) : IProxyConfig
    {
        public string RevisionId { get; } = Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "FastPath: {Clusters} YARP cluster(s) from snapshot {Version}", EventName = "ConfigBuilt")]
        public static partial void Built(ILogger logger, int clusters, long version);

        [LoggerMessage(2, LogLevel.Warning, "FastPath: {Problem} (snapshot {Version}); its cluster has no destination and answers 503", EventName = "SelectionProblem")]
        public static partial void Problem(ILogger logger, string problem, long version);
    }
}
