using System;
using FastPath.Diagnostics;
using FastPath.Live;
using Grpc.Net.Client.Balancer;
using Microsoft.Extensions.Options;

namespace FastPath.Grpc;

/// <summary><c>fastpath:///cart.shop:grpc</c>, <c>fastpath:///cart.shop:50051</c>, <c>fastpath:///cart.shop.svc.cluster.local:grpc</c>.</summary>
internal sealed class FastPathResolverFactory : ResolverFactory
{
    public const string Scheme = "fastpath";
    public const string Integration = "grpc";

    private readonly IClusterSnapshotSource source;
    private readonly IOptions<FastPathGrpcOptions> options;

    public FastPathResolverFactory(IClusterSnapshotSource source, IOptions<FastPathGrpcOptions> options, FastPathMetrics metrics)
    {
        this.source = source;
        this.options = options;
        metrics.ObserveSource(source, Integration);
    }

    public override string Name => Scheme;

    public override Resolver Create(ResolverOptions options1)
    {
        var o = options.Value;
        var target = options1.Address.AbsolutePath.TrimStart('/');
        if (target.Length == 0) target = options1.Address.Authority;
        int colon = target.LastIndexOf(':');
        var host = colon < 0 ? target : target[..colon];
        var port = colon < 0 ? null : target[(colon + 1)..];
        ServiceName? service = ServiceName.TryParse(host, o.ClusterDomain, o.Namespace, out var parsed) ? parsed with { Qualified = true } : null;
        return new FastPathResolver(source, service, target, port, o.Node, options1.LoggerFactory);
    }
}
