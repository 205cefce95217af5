using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using FastPath.Compiled;
using FastPath.Diagnostics;
using FastPath.Live;
using FastPath.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FastPath.Http;

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/>: for each new connection, reads the source's current snapshot,
/// finds the Service port the request names and connects to the endpoint kube-proxy would choose for this app's
/// address and node (ClientIP affinity included). A name it cannot route fails with <see cref="FastPathRoutingException"/>.
/// </summary>
internal sealed class FastPathConnector
{
    public const string Integration = "http";

    private readonly IClusterSnapshotSource _source;
    private readonly FastPathHttpOptions _options;
    private readonly FastPathMetrics? _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly UInt128 _client;
    private readonly ConcurrentDictionary<(string Host, int Port), ServiceTarget?> _targets = new();
    private readonly ConcurrentDictionary<string, IPEndPoint> _endpoints = new(StringComparer.Ordinal);
    private RouteCache _routes = new(null);
    private long _loggedVersion = -1;

    public FastPathConnector(IClusterSnapshotSource source, FastPathHttpOptions options, FastPathMetrics? metrics = null,
        ILogger? logger = null, TimeProvider? time = null)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _metrics = metrics;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _client = IpKey.From(options.ClientAddress);
        metrics?.ObserveSource(source, Integration);
    }

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        int port = context.DnsEndPoint.Port;
        var snapshot = _source.Current ?? await WaitForSnapshotAsync(host, port, cancellationToken).ConfigureAwait(false);
        var endpoint = Pick(snapshot, host, port);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (endpoint is null) await socket.ConnectAsync(new DnsEndPoint(host, port), cancellationToken).ConfigureAwait(false);
            else await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<ClusterSnapshot> WaitForSnapshotAsync(string host, int port, CancellationToken cancellationToken)
    {
        try
        {
            await _source.WaitForSyncAsync(cancellationToken).WaitAsync(_options.SyncTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var target = $"{host}:{port}";
            _metrics?.Miss(Integration, MissReason.NotSynced);
            FastPathLog.SnapshotNotSynced(_logger, Integration, target);
            throw new FastPathRoutingException(FastPathRoutingFailure.NotSynced, target,
                $"FastPath has no cluster snapshot for {target} after {_options.SyncTimeout.TotalSeconds:0.###} s: the snapshot source has not synced");
        }
        return _source.Current!;
    }

    /// <summary>
    /// The endpoint for one new connection; null to connect through DNS (only with FallbackToDns). Throws
    /// <see cref="FastPathRoutingException"/> for a name it cannot route.
    /// </summary>
    internal IPEndPoint? Pick(ClusterSnapshot snapshot, string host, int port)
    {
        _metrics?.Lookup(Integration);
        var routes = _routes;
        if (!ReferenceEquals(routes.Snapshot, snapshot)) routes = NewSnapshot(snapshot);
        if (!routes.Handles.TryGetValue((host, port), out var handle)) handle = routes.Handles.GetOrAdd((host, port), Route(snapshot, host, port));
        if (handle is null) return null;
        var choice = handle.Select(_client, _options.NodeName);
        if (choice.Action == ProxyAction.Forward)
        {
            var endpoint = choice.Endpoint!;
            _metrics?.Selection(Integration, routes.KeyOf(handle), endpoint, choice.Sticky);
            if (!_endpoints.TryGetValue(endpoint, out var ep)) ep = _endpoints.GetOrAdd(endpoint, IPEndPoint.Parse(endpoint));
            return ep;
        }
        var decision = handle.Decide(_options.NodeName);
        var (failure, reason) = choice.Action switch
        {
            ProxyAction.Drop => (FastPathRoutingFailure.NoLocalEndpoints, MissReason.NoLocalEndpoints),
            ProxyAction.NotProxied => (FastPathRoutingFailure.NotProxied, MissReason.NotProxied),
            _ => (FastPathRoutingFailure.NoEndpoints, MissReason.NoEndpoints),
        };
        throw Miss(failure, reason, $"{host}:{port}",
            $"Service {handle.Namespace}/{handle.Service} port {handle.Port} has no endpoint this connection may use: {decision.Reason} (kube-proxy: {choice.Action.ToString().ToLowerInvariant()})");
    }

    private RouteCache NewSnapshot(ClusterSnapshot snapshot)
    {
        var fresh = new RouteCache(snapshot);
        Volatile.Write(ref _routes, fresh);
        if (Interlocked.Exchange(ref _loggedVersion, snapshot.Version) != snapshot.Version)
            FastPathLog.SnapshotInUse(_logger, Integration, snapshot.Version);
        return fresh;
    }

    /// <summary>The Service port a host and port name (cached per snapshot); null to go through DNS.</summary>
    private ServicePortHandle? Route(ClusterSnapshot snapshot, string host, int port)
    {
        var target = _targets.GetOrAdd((host, port), static (k, o) => ServiceTarget.Parse(k.Host, k.Port, o), _options);
        var text = $"{host}:{port}";
        if (target is null) return UnknownService(text, $"'{host}' is not a Service name (service, service.namespace, service.namespace.svc[.{_options.ClusterDomain}])");
        if (target.ClusterIP is { } ip)
        {
            var byIp = snapshot.DataPlane.Ports.FirstOrDefault(p => p.Port == port && IPAddress.TryParse(p.ClusterIP, out var c) && c.Equals(ip));
            return byIp ?? UnknownService(text, $"no Service has ClusterIP {ip} with port {port}");
        }
        var resolution = ServiceResolution.Resolve(snapshot, target.Name!.Value, target.Port, _options.NodeName);
        return resolution.Outcome switch
        {
            // No eligible endpoint is decided per connection by Pick, which says whether kube-proxy rejects or drops.
            ServiceResolutionOutcome.Resolved or ServiceResolutionOutcome.NoEligibleEndpoints => resolution.Port,
            ServiceResolutionOutcome.UnknownPort => throw Miss(FastPathRoutingFailure.UnknownPort, MissReason.UnknownPort, text, resolution.Reason),
            ServiceResolutionOutcome.NotProxied => throw Miss(FastPathRoutingFailure.NotProxied, MissReason.NotProxied, text, resolution.Reason),
            _ => UnknownService(text, $"{resolution.Reason} in the cluster snapshot (version {snapshot.Version})"),
        };
    }

    private ServicePortHandle? UnknownService(string target, string detail)
    {
        if (_options.FallbackToDns) return null;
        throw Miss(FastPathRoutingFailure.UnknownService, MissReason.UnknownService, target, detail + "; set FallbackToDns to connect such names through DNS");
    }

    private FastPathRoutingException Miss(FastPathRoutingFailure failure, string reason, string target, string detail)
    {
        _metrics?.Miss(Integration, reason);
        FastPathLog.LookupMissed(_logger, Integration, target, reason, detail);
        return new FastPathRoutingException(failure, target, detail);
    }

    /// <summary>Routes of one snapshot: a new snapshot starts an empty cache, so a route never outlives its data plane.</summary>
    private sealed class RouteCache(ClusterSnapshot? snapshot)
    {
        public ClusterSnapshot? Snapshot { get; } = snapshot;
        public ConcurrentDictionary<(string Host, int Port), ServicePortHandle?> Handles { get; } = new();
        private readonly ConcurrentDictionary<ServicePortHandle, string> _keys = new();
        public string KeyOf(ServicePortHandle h) => _keys.TryGetValue(h, out var k) ? k : _keys.GetOrAdd(h, h.Namespace + "/" + h.Service);
    }
}
