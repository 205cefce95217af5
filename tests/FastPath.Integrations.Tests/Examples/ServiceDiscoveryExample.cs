using System;
using System.Net.Http;
using System.Threading.Tasks;
using FastPath.Live;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FastPath.Integrations.Tests.Examples;

/// <summary>The README's service-discovery example, verbatim between the markers (ReadmeExampleTests checks it).</summary>
public static class ServiceDiscoveryExample
{
    public static async Task<string> CallCart(IClusterSnapshotSource cluster)
    {
        // <readme>
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddServiceDiscovery().AddFastPath(cluster, o => o.Node = "node-a");
        services.AddHttpClient("cart", c => c.BaseAddress = new Uri("http://cart.shop"))
            .AddServiceDiscovery();

        await using var provider = services.BuildServiceProvider();
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("cart");
        return await http.GetStringAsync("/"); // sent to a pod kube-proxy would pick from node-a; no DNS query
        // </readme>
    }
}
