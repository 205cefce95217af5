using FastPath.Live;
using FastPath.Yarp;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace FastPath.Integrations.Tests.Examples;

/// <summary>The README's YARP example, verbatim between the markers (ReadmeExampleTests checks it).</summary>
public static class YarpExample
{
    public static WebApplication BuildProxy(WebApplicationBuilder builder, IClusterSnapshotSource cluster)
    {
        // <readme>
        builder.Services.AddReverseProxy()
            .LoadFromFastPath(cluster, o =>
            {
                o.Services.Add("cart.shop");                         // or o.MatchLabels / o.Annotation
                o.Node = "node-a";                                   // kube-proxy decides per node
                o.LoadBalancingPolicy = FastPathPolicyNames.ClientIP; // IPVS-style persistence
            })
            .AddFastPathPolicies(c => c.ForwardedHeader = "X-Forwarded-For");

        var app = builder.Build();
        app.MapReverseProxy(); // Host: cart.shop → a ready cart pod; 503 when there is none
        return app;
        // </readme>
    }
}
