using FastPath.Grpc;
using FastPath.Live;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FastPath.Integrations.Tests.Examples;

/// <summary>The README's gRPC example, verbatim between the markers (ReadmeExampleTests checks it).</summary>
public static class GrpcExample
{
    public static GrpcChannel CreateChannel(IClusterSnapshotSource cluster)
    {
        // <readme>
        var services = new ServiceCollection().AddFastPathGrpc(cluster, o => o.Node = "node-a");

        return GrpcChannel.ForAddress("fastpath:///cart.shop:grpc", new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Insecure,
            ServiceProvider = services.BuildServiceProvider(),
            ServiceConfig = new ServiceConfig
            {
                LoadBalancingConfigs = { new LoadBalancingConfig(FastPathBalancerNames.PowerOfTwoChoices) },
            },
        });
        // </readme>
    }
}
