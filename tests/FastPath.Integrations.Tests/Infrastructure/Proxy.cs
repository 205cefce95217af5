using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using FastPath.Live;
using FastPath.Yarp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FastPath.Integrations.Tests.Infrastructure;

/// <summary>A real YARP proxy on 127.0.0.1 fed by FastPath, and a client that names the Service in the Host header.</summary>
public sealed class Proxy : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Proxy(WebApplication app, HttpClient client) { _app = app; Client = client; }

    public HttpClient Client { get; }
    public IServiceProvider Services => _app.Services;

    public static async Task<Proxy> StartAsync(IClusterSnapshotSource source, Action<FastPathYarpOptions> configure,
        Action<FastPathClientIpOptions>? clientIp = null, TimeProvider? time = null, System.Diagnostics.Metrics.IMeterFactory? meters = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        if (time is not null) builder.Services.AddSingleton(time);
        if (meters is not null) builder.Services.AddSingleton(meters);
        builder.Services.AddReverseProxy().LoadFromFastPath(source, configure).AddFastPathPolicies(clientIp);
        var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync();
        return new Proxy(app, new HttpClient { BaseAddress = new Uri(app.Urls.First()) });
    }

    /// <summary>GET / for <paramref name="host"/>; the backend's name (or null) and the status.</summary>
    public async Task<(HttpStatusCode Status, string? Backend, string Body)> Get(string host, string? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = host;
        if (client is not null) request.Headers.Add("X-Forwarded-For", client);
        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.IsSuccessStatusCode ? body.Split(' ')[0] : null, body);
    }

    /// <summary>The backend for a request that must succeed.</summary>
    public async Task<string> Backend(string host, string? client = null)
    {
        var (status, backend, body) = await Get(host, client);
        if (status != HttpStatusCode.OK) throw new InvalidOperationException($"{host}: {(int)status} {body}");
        return backend!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
