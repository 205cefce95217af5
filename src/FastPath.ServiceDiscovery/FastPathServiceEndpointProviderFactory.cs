using System;
using System.Diagnostics.CodeAnalysis;
using FastPath.Diagnostics;
using FastPath.Live;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;

namespace FastPath.ServiceDiscovery;

/// <summary>
/// Creates a provider for every query whose host could be a cluster name (<c>cart.shop</c>, <c>_grpc.cart.shop</c>,
/// <c>cart.shop.svc.cluster.local</c>, a bare name in <see cref="FastPathServiceDiscoveryOptions.Namespace"/>); whether
/// it is one is decided against the snapshot when the provider populates.
/// </summary>
internal sealed class FastPathServiceEndpointProviderFactory : IServiceEndpointProviderFactory
{
    public const string Integration = "servicediscovery";

    private readonly IClusterSnapshotSource _source;
    private readonly IOptions<FastPathServiceDiscoveryOptions> _options;
    private readonly ILogger<FastPathServiceEndpointProvider> _logger;
    private readonly FastPathProviderDiagnostics _diagnostics;

    public FastPathServiceEndpointProviderFactory(IClusterSnapshotSource source, IOptions<FastPathServiceDiscoveryOptions> options,
        ILogger<FastPathServiceEndpointProvider> logger, FastPathMetrics metrics)
    {
        _source = source;
        _options = options;
        _logger = logger;
        _diagnostics = new FastPathProviderDiagnostics(metrics, new FastPathLog.SnapshotUse(logger, Integration));
        metrics.ObserveSource(source, Integration);
    }

    public bool TryCreateProvider(ServiceEndpointQuery query, [NotNullWhen(true)] out IServiceEndpointProvider? provider)
    {
        var o = _options.Value;
        if (!ServiceName.TryParse(query.ServiceName, o.ClusterDomain, o.Namespace, out var service)) { provider = null; return false; }
        provider = new FastPathServiceEndpointProvider(_source, service, query.EndpointName, UriPort(query.ToString()!),
            PreferredPorts(query), o.Node, _logger, _diagnostics);
        return true;
    }

    /// <summary>What every provider of this factory reports to: the shared instruments and the snapshot-in-use log.</summary>
    internal sealed record FastPathProviderDiagnostics(FastPathMetrics Metrics, FastPathLog.SnapshotUse SnapshotUse);

    /// <summary>An explicit port in the query (<c>http://cart.shop:8080</c>) names the Service port, as the ClusterIP's port would.</summary>
    private static int? UriPort(string original)
    {
        var text = original.Contains("://", StringComparison.Ordinal) ? original : "fakescheme://" + original;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Port > 0 && !uri.IsDefaultPort ? uri.Port : null;
    }

    /// <summary>The schemes' well-known ports in the query's order of preference (<c>https+http</c>: 443, then 80).</summary>
    private static int[] PreferredPorts(ServiceEndpointQuery query)
    {
        var ports = new System.Collections.Generic.List<int>();
        foreach (var scheme in query.IncludedSchemes)
        {
            if (scheme.Equals("https", StringComparison.OrdinalIgnoreCase)) ports.Add(443);
            else if (scheme.Equals("http", StringComparison.OrdinalIgnoreCase)) ports.Add(80);
        }
        return ports.ToArray();
    }
}
