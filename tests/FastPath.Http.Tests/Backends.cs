using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FastPath.Http.Tests;

/// <summary>
/// Real Kestrel servers on 127.0.0.1, each answering with its own name and the protocol it was asked in: one port
/// for HTTP/1.1, one for HTTP/2 without TLS (prior knowledge), as two ports of one Service.
/// </summary>
public sealed class Backend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Backend(string name, WebApplication app, int http1, int http2)
    {
        Name = name; _app = app; Http1Port = http1; Http2Port = http2;
    }

    public string Name { get; }
    public int Http1Port { get; }
    public int Http2Port { get; }

    public static async Task<Backend> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http1);
            k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2);
        });
        var app = builder.Build();
        app.Run(ctx => ctx.Response.WriteAsync($"{name} {ctx.Request.Protocol}"));
        await app.StartAsync();
        var ports = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a).Port).ToList();
        return new Backend(name, app, ports[0], ports[1]);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>Writes the manifests of a shop/cart Service whose endpoints are the given backends in given conditions.</summary>
public static class CartCluster
{
    public sealed record Member(Backend Backend, bool Ready = true, bool Serving = true, bool Terminating = false, string? Node = null);

    public static string Yaml(IEnumerable<Member> members, string affinity = "")
    {
        var yaml = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n" +
            "apiVersion: v1\nkind: Service\nmetadata: {name: cart, namespace: shop}\n" +
            "spec:\n  clusterIP: 10.96.5.5\n  ports:\n  - {name: http, port: 80, protocol: TCP}\n  - {name: h2c, port: 81, protocol: TCP}\n" + affinity;
        foreach (var m in members)
        {
            // One slice per backend: each listens on its own ports of 127.0.0.1.
            yaml += "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n" +
                $"metadata: {{name: cart-{m.Backend.Name}, namespace: shop, labels: {{kubernetes.io/service-name: cart}}}}\n" +
                "addressType: IPv4\n" +
                $"ports: [{{name: http, port: {m.Backend.Http1Port}, protocol: TCP}}, {{name: h2c, port: {m.Backend.Http2Port}, protocol: TCP}}]\n" +
                $"endpoints: [{{addresses: [127.0.0.1], conditions: {{ready: {Bool(m.Ready)}, serving: {Bool(m.Serving)}, terminating: {Bool(m.Terminating)}}}" +
                (m.Node is null ? "" : $", nodeName: {m.Node}") + "}]\n";
        }
        return yaml;
    }

    private static string Bool(bool b) => b ? "true" : "false";
}
