using System;
using FastPath.Live;
using Grpc.Net.Client.Balancer;
using Microsoft.Extensions.Options;

namespace FastPath.Grpc;

/// <summary><c>fastpath:///cart.shop:grpc</c>, <c>fastpath:///cart.shop:50051</c>, <c>fastpath:///cart.shop.svc.cluster.local:grpc</c>.</summary>
internal sealed class FastPathResolverFactory(IClusterSnapshotSource source, IOptions<FastPathGrpcOptions> options) : ResolverFactory
{
    public const string Scheme = "fastpath";

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
