using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using FastPath.Diagnostics;
using FastPath.Live;
using Grpc.Core;
using Grpc.Net.Client.Balancer;
using Microsoft.Extensions.Logging;

namespace FastPath.Grpc;

/// <summary>
/// Pushes the Service port's eligible endpoints to the channel on start and again on every snapshot that changes the
/// Service (no polling, so no stale address survives a rollout). A name that gives no endpoint is pushed as a failure
/// with status <see cref="StatusCode.Unavailable"/> and the reason (unknown Service, unknown port naming the ports that
/// exist, no ready endpoint), which calls then fail with.
/// </summary>
internal sealed partial class FastPathResolver : Resolver
{
    private readonly IClusterSnapshotSource _source;
    private readonly ServiceName? _service;
    private readonly string _target;
    private readonly string? _port;
    private readonly string? _node;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private Action<ResolverResult>? _listener;
    private long _pushedVersion = -1;

    private readonly FastPathLog.SnapshotUse _snapshotUse;

    public FastPathResolver(IClusterSnapshotSource source, ServiceName? service, string target, string? port, string? node, ILoggerFactory loggers)
    {
        _source = source; _service = service; _target = target; _port = port; _node = node;
        _logger = loggers.CreateLogger<FastPathResolver>();
        _snapshotUse = new FastPathLog.SnapshotUse(_logger, FastPathResolverFactory.Integration);
    }

    public override void Start(Action<ResolverResult> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        lock (_gate)
        {
            if (_listener is not null) throw new InvalidOperationException("Resolver already started.");
            _listener = listener;
        }
        _source.SnapshotChanged += OnSnapshotChanged;
        if (_source.Current is { } snapshot) Push(snapshot);
    }

    /// <summary>The channel asks after a connection failure: answer from the current snapshot again.</summary>
    public override void Refresh()
    {
        if (_source.Current is { } snapshot) Push(snapshot, force: true);
    }

    private void OnSnapshotChanged(object? sender, SnapshotChangedEventArgs e)
    {
        if (_service is { } s && !e.Change.Full && !e.Change.Services.Contains(s.ToString())) return;
        Push(e.Current);
    }

    private void Push(ClusterSnapshot snapshot, bool force = false)
    {
        Action<ResolverResult>? listener;
        ResolverResult result;
        lock (_gate)
        {
            listener = _listener;
            if (listener is null || (!force && snapshot.Version <= _pushedVersion)) return;
            _pushedVersion = snapshot.Version;
            result = Resolve(snapshot);
        }
        listener(result);
    }

    private ResolverResult Resolve(ClusterSnapshot snapshot)
    {
        _snapshotUse.Observe(snapshot.Version);
        if (_service is not { } service)
            return Failure($"'{_target}' is not a Service name: use fastpath:///name.namespace:port", MissReason.UnknownService, snapshot.Version);
        var resolution = ServiceResolution.Resolve(snapshot, service, _port, _node);
        if (!resolution.Succeeded) return Failure(resolution.Reason, MissReason.For(resolution) ?? MissReason.UnknownService, snapshot.Version);
        var addresses = new List<BalancerAddress>(resolution.Endpoints.Count);
        foreach (var ep in resolution.Endpoints)
        {
            var ip = IPEndPoint.Parse(ep);
            var address = new BalancerAddress(ip.Address.ToString(), ip.Port);
            address.Attributes.Set(FastPathAttributes.Service, resolution.Port!.Namespace + "/" + resolution.Port.Service);
            addresses.Add(address);
        }
        Log.Resolved(_logger, _target, addresses.Count, snapshot.Version);
        return ResolverResult.ForResult(addresses);
    }

    private ResolverResult Failure(string reason, string missReason, long version)
    {
        FastPathLog.LookupMissed(_logger, FastPathResolverFactory.Integration, _target, missReason, reason);
        FastPathAttributes.MissReasons.AddOrUpdate(reason, missReason);
        return ResolverResult.ForFailure(new Status(StatusCode.Unavailable, reason));
    }

    protected override void Dispose(bool disposing)
    {
        _source.SnapshotChanged -= OnSnapshotChanged;
        lock (_gate) _listener = null;
        base.Dispose(disposing);
    }

    /// <summary>What the resolver tells the FastPath balancer beside the addresses: the Service, or why there is none.</summary>
    internal static class FastPathAttributes
    {
        /// <summary>On every address: the Service ("ns/name"), the <c>fastpath.service</c> tag of its selections.</summary>
        public static readonly BalancerAttributesKey<string> Service = new("fastpath.service");

        /// <summary>
        /// A failure's metric reason, keyed by its status detail (the same string instance reaches the balancer in
        /// <c>ChannelState.Status</c>; grpc-dotnet passes a failed result's status but not its attributes).
        /// </summary>
        public static readonly System.Runtime.CompilerServices.ConditionalWeakTable<string, string> MissReasons = new();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "FastPath: {Target} resolved to {Count} address(es) from snapshot {Version}", EventName = "Resolved")]
        public static partial void Resolved(ILogger logger, string target, int count, long version);
    }
}
