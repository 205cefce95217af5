using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using FastPath.Integrations.Tests.Examples;
using FastPath.Integrations.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace FastPath.Integrations.Tests;

/// <summary>The README's integration examples are the code in Examples/, verbatim, and they work against real backends.</summary>
[Collection(BackendsCollection.Name)]
public sealed class ReadmeExampleTests(Backends backends)
{
    [Theory]
    [InlineData("ServiceDiscoveryExample.cs")]
    [InlineData("YarpExample.cs")]
    [InlineData("GrpcExample.cs")]
    public void Readme_shows_the_example_verbatim(string file)
    {
        var source = File.ReadAllLines(Path.Combine(ProjectDirectory(), "Examples", file));
        int start = Array.FindIndex(source, l => l.Trim() == "// <readme>"), end = Array.FindIndex(source, l => l.Trim() == "// </readme>");
        var body = source[(start + 1)..end];
        int indent = body.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        var expected = string.Join("\n", body.Select(l => l.Length >= indent ? l[indent..] : l.Trim()));

        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md")).Replace("\r\n", "\n");
        var marker = $"<!-- example: tests/FastPath.Integrations.Tests/Examples/{file} -->\n```csharp\n";
        int at = readme.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"README.md has no block marked {marker.Trim()}");
        int from = at + marker.Length;
        var shown = readme[from..readme.IndexOf("\n```", from, StringComparison.Ordinal)];
        Assert.Equal(expected, shown);
    }

    [Fact]
    public async Task Service_discovery_example_reaches_a_cart_pod()
    {
        var cart = backends.Http1[3];
        var source = new TestSource(TestCluster.Service("cart", "http", 80, [Ep.Of(cart)]));
        Assert.Equal($"{cart.Name} HTTP/1.1", await ServiceDiscoveryExample.CallCart(source.Publisher));
    }

    [Fact]
    public async Task Yarp_example_proxies_to_a_cart_pod()
    {
        var cart = backends.Http1[3];
        var source = new TestSource(TestCluster.Service("cart", "http", 80, [Ep.Of(cart)]));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = YarpExample.BuildProxy(builder, source.Publisher);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { Host = "cart.shop" } };
        using var response = await client.SendAsync(request);
        Assert.Equal($"{cart.Name} HTTP/1.1", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Grpc_example_calls_a_cart_pod()
    {
        var cart = backends.Http2[2];
        var source = new TestSource(TestCluster.Service("cart", "grpc", 50051, [Ep.Of(cart)]));
        using var channel = GrpcExample.CreateChannel(source.Publisher);
        var who = await channel.CreateCallInvoker().AsyncUnaryCall(Identity.Who, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10)), "");
        Assert.Equal(cart.Name, who);
    }

    private static string ProjectDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
